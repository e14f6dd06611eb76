import { afterEach, describe, expect, it } from 'vitest';
import { createMetrics } from '../../src/metrics/registry.js';
import type { NimCallEvent } from '../../src/nim/call.js';
import { actionIds } from '../../src/slack/ids.js';
import { startUpdateHarness, type UpdateHarness } from '../slack/app/update-harness.js';
import { startHarness, visibleText, type Harness } from '../support/app-harness.js';
import { sample, scrape, scrapeUntil } from './scrape.js';

const LOOKUP = 'user/getUinfos.action';
const QCHAT = 'qchat/updateServerMember.action';
const UPDATE = 'user/updateUinfo.action';

describe('GET /metrics over real HTTP', () => {
  let h: Harness | undefined;
  let u: (UpdateHarness & { removeDir(): Promise<void> }) | undefined;
  afterEach(async () => {
    await h?.close();
    await u?.close();
    await u?.removeDir();
    h = undefined;
    u = undefined;
  });

  it('counts a signed /im-user and its NetEase call, with their latency, the budget and the audit queue', async () => {
    const metrics = createMetrics();
    h = await startHarness({ metrics });
    const before = await scrape(h.appUrl);
    expect(before.status).toBe(200);
    expect(before.contentType).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(sample(before.text, 'im_admin_nim_budget_queue_depth')).toBe(0);
    expect(sample(before.text, 'im_admin_nim_budget_cooldowns_total')).toBe(0);
    expect(sample(before.text, 'im_admin_audit_pending')).toBe(0);
    expect(sample(before.text, 'im_admin_slack_commands_total', { command: '/im-user', outcome: 'ok' })).toBeUndefined();

    const { responseId } = await h.command('/im-user', 'alice bob');
    expect(visibleText((await h.answer(responseId)).body)).toContain('Alice Chen');
    const text = await scrapeUntil(
      h.appUrl,
      (t) => sample(t, 'im_admin_slack_commands_total', { command: '/im-user', outcome: 'ok' }) === 1,
    );

    expect(sample(text, 'im_admin_slack_commands_total', { command: '/im-user', outcome: 'ok' })).toBe(1);
    expect(sample(text, 'im_admin_nim_calls_total', { endpoint: LOOKUP, code: '200' })).toBe(1);
    expect(sample(text, 'im_admin_nim_call_duration_seconds_count', { endpoint: LOOKUP })).toBe(1);
    expect(sample(text, 'im_admin_nim_call_duration_seconds_bucket', { endpoint: LOOKUP, le: '+Inf' })).toBe(1);
    expect(sample(text, 'im_admin_nim_call_duration_seconds_sum', { endpoint: LOOKUP })).toBeGreaterThan(0);
    expect(sample(text, 'im_admin_nim_budget_queue_depth')).toBe(0);
    expect(text).toContain('# TYPE im_admin_nim_budget_queue_depth gauge');
    expect(text).toContain('# TYPE im_admin_slack_commands_total counter');
    expect(sample(text, 'im_admin_refusals_total', { action: 'read', reason: 'guest' })).toBeUndefined();
  });

  it('counts a refused read as a refusal and the command as refused, with no NetEase call', async () => {
    h = await startHarness({ metrics: createMetrics() });
    const guest = await h.command('/im-user', 'alice', 'U0GUEST');
    await h.answer(guest.responseId);
    const gone = await h.command('/im-mute-status', 'alice', 'U0GONE');
    await h.answer(gone.responseId);
    const text = await scrapeUntil(
      h.appUrl,
      (t) => sample(t, 'im_admin_slack_commands_total', { command: '/im-mute-status', outcome: 'refused' }) === 1,
    );
    expect(sample(text, 'im_admin_refusals_total', { action: 'read', reason: 'guest' })).toBe(1);
    expect(sample(text, 'im_admin_refusals_total', { action: 'read', reason: 'deactivated' })).toBe(1);
    expect(sample(text, 'im_admin_slack_commands_total', { command: '/im-user', outcome: 'refused' })).toBe(1);
    expect(sample(text, 'im_admin_slack_commands_total', { command: '/im-mute-status', outcome: 'refused' })).toBe(1);
    expect(text).not.toContain('im_admin_nim_calls_total{');
  });

  it('labels NetEase failures with the NetEase code or the failure kind, and the command as nim_error', async () => {
    h = await startHarness({ metrics: createMetrics() });
    h.emulator.injectFault(LOOKUP, { kind: 'code', code: 416 }, 1);
    const limited = await h.command('/im-user', 'alice');
    expect(visibleText((await h.answer(limited.responseId)).body)).toMatch(/rate limit/i);
    let text = await scrapeUntil(
      h.appUrl,
      (t) => sample(t, 'im_admin_slack_commands_total', { command: '/im-user', outcome: 'nim_error' }) === 1,
    );
    expect(sample(text, 'im_admin_nim_calls_total', { endpoint: LOOKUP, code: '416' })).toBe(1);
    expect(sample(text, 'im_admin_nim_budget_cooldowns_total')).toBe(1);
    expect(sample(text, 'im_admin_nim_budget_cooldown_remaining_seconds')).toBeGreaterThan(0);

    await h.close();
    h = await startHarness({ metrics: createMetrics() });
    h.emulator.injectFault(LOOKUP, { kind: 'malformed_json' });
    const broken = await h.command('/im-user', 'alice');
    await h.answer(broken.responseId);
    text = await scrapeUntil(
      h.appUrl,
      (t) => sample(t, 'im_admin_slack_commands_total', { command: '/im-user', outcome: 'nim_error' }) === 1,
    );
    expect(sample(text, 'im_admin_nim_calls_total', { endpoint: LOOKUP, code: 'malformed_response' })).toBeGreaterThanOrEqual(1);
  });

  it('counts help and typing mistakes apart from answers', async () => {
    h = await startHarness({ metrics: createMetrics() });
    const help = await h.command('/im-user', 'help');
    await h.answer(help.responseId);
    const invalid = await h.command('/im-user', 'no/such/accid!');
    await h.answer(invalid.responseId);
    const text = await scrapeUntil(
      h.appUrl,
      (t) => sample(t, 'im_admin_slack_commands_total', { command: '/im-user', outcome: 'input_error' }) === 1,
    );
    expect(sample(text, 'im_admin_slack_commands_total', { command: '/im-user', outcome: 'usage' })).toBe(1);
    expect(sample(text, 'im_admin_slack_commands_total', { command: '/im-user', outcome: 'input_error' })).toBe(1);
  });

  it('counts a refused update by action and reason; its audit entry and log lines share the command correlation id', async () => {
    const logLines: string[] = [];
    u = await startUpdateHarness({ metrics: createMetrics(), logLines });
    const { responseId } = await u.command('/qchat-nick', '1513535 alice Sneaky', 'U0MEMBER');
    await u.answer(responseId, 15_000);
    const text = await scrapeUntil(
      u.appUrl,
      (t) => sample(t, 'im_admin_slack_commands_total', { command: '/qchat-nick', outcome: 'refused' }) === 1,
    );
    expect(sample(text, 'im_admin_refusals_total', { action: 'qchat_update_member', reason: 'not_a_writer' })).toBe(1);
    expect(sample(text, 'im_admin_audit_pending')).toBeGreaterThanOrEqual(0);

    const refusedLine = logLines.map((line) => JSON.parse(line) as Record<string, unknown>).find((line) => line.msg === 'refused');
    expect(refusedLine).toMatchObject({ command: '/qchat-nick', userId: 'U0MEMBER' });
    const correlationId = refusedLine!.correlationId as string;
    expect(correlationId).toMatch(/^[0-9a-f]{12}$/);
    expect((await u.records()).find((record) => record.kind === 'refusal')).toMatchObject({ id: correlationId });
  });

  it('carries one correlation id from the command into its NetEase calls, its log lines and its audit entries', async () => {
    const logLines: string[] = [];
    const events: NimCallEvent[] = [];
    const metrics = createMetrics();
    u = await startUpdateHarness({
      metrics,
      logLines,
      nimOptions: {
        onCall: (event) => {
          events.push(event);
          metrics.nimCall(event);
        },
      },
    });
    const { responseId } = await u.command('/qchat-nick', '1513535 alice Renamed', 'U0ADMIN');
    expect(visibleText((await u.answer(responseId, 15_000)).body)).toContain('Renamed');
    const text = await scrapeUntil(
      u.appUrl,
      (t) => sample(t, 'im_admin_slack_commands_total', { command: '/qchat-nick', outcome: 'ok' }) === 1,
    );
    expect(sample(text, 'im_admin_nim_calls_total', { endpoint: QCHAT, code: '200' })).toBe(1);

    const lines = logLines.map((line) => JSON.parse(line) as Record<string, unknown>);
    const commandLines = lines.filter((line) => line.command === '/qchat-nick');
    expect(commandLines.length).toBeGreaterThan(0);
    const correlationId = commandLines[0]!.correlationId as string;
    for (const line of commandLines) expect(line.correlationId).toBe(correlationId);
    expect(commandLines.find((line) => line.msg === 'QChat member card updated')).toMatchObject({ auditId: correlationId });
    expect(events.filter((event) => event.endpoint === QCHAT).map((event) => event.correlationId)).toEqual([correlationId]);
    const records = await u.records();
    expect(records.filter((record) => record.kind === 'intent' || record.kind === 'outcome').map((record) => record.id)).toEqual([
      correlationId,
      correlationId,
    ]);

    // A lookup by a writer is recorded in the audit log under its own command's id, which its NetEase call carries too.
    const lookup = await u.command('/im-user', 'alice', 'U0ADMIN');
    await u.answer(lookup.responseId, 15_000);
    const lookupRecord = (await u.records()).find((record) => record.kind === 'lookup');
    expect(lookupRecord).toBeDefined();
    expect(lookupRecord!.id).not.toBe(correlationId);
    expect(events.filter((event) => event.endpoint === LOOKUP).map((event) => event.correlationId)).toContain(lookupRecord!.id);
    const lookupLines = logLines.map((line) => JSON.parse(line) as Record<string, unknown>).filter((line) => line.command === '/im-user');
    expect(lookupLines.length).toBeGreaterThan(0);
    for (const line of lookupLines) expect(line.correlationId).toBe(lookupRecord!.id);
  });

  it('counts card buttons and modal submissions with their outcome; a submitted edit carries the id into the audit entry', async () => {
    const logLines: string[] = [];
    u = await startUpdateHarness({ metrics: createMetrics(), logLines });
    const click = await u.click(actionIds.muteStatus, 'alice');
    await u.answer(click.responseId, 15_000);
    await u.command('/im-user', 'edit alice', 'U0ADMIN');
    const view = await u.filledView('edit_card');
    await u.submit(view, 'U0ADMIN', { name: 'Alice M.' });
    await u.slack.waitForCall('chat.postEphemeral', undefined, 15_000);
    const invalid = await u.submit(view, 'U0ADMIN', { name: 'x'.repeat(65) });
    expect(invalid.body).toContain('errors');
    const text = await scrapeUntil(
      u.appUrl,
      (t) => sample(t, 'im_admin_slack_commands_total', { command: 'modal:edit_card', outcome: 'input_error' }) === 1,
    );
    expect(sample(text, 'im_admin_slack_commands_total', { command: `button:${actionIds.muteStatus}`, outcome: 'ok' })).toBe(1);
    expect(sample(text, 'im_admin_slack_commands_total', { command: '/im-user edit', outcome: 'ok' })).toBe(1);
    expect(sample(text, 'im_admin_slack_commands_total', { command: 'modal:edit_card', outcome: 'ok' })).toBe(1);
    expect(sample(text, 'im_admin_slack_commands_total', { command: 'modal:edit_card', outcome: 'input_error' })).toBe(1);
    expect(sample(text, 'im_admin_nim_calls_total', { endpoint: UPDATE, code: '200' })).toBe(1);

    const updated = logLines.map((line) => JSON.parse(line) as Record<string, unknown>).find((line) => line.msg === 'card updated');
    expect(updated).toMatchObject({ view: 'edit_card', auditId: updated?.correlationId });
    expect((await u.records()).find((record) => record.kind === 'intent')).toMatchObject({ id: updated!.correlationId });
  });
});
