import { afterEach, describe, expect, it } from 'vitest';
import { visibleText } from '../../support/app-harness.js';
import { guardedForms, type GuardedForm } from './guarded-forms.js';
import { startUpdateHarness, type UpdateHarness } from './update-harness.js';

const ADMIN = 'U0ADMIN';
/** Past the Slack directory cache (60 s), so the submission has to ask Slack again. */
const CACHE_EXPIRED_MS = 61_000;
/** Well within the cache's minute: the submission must ask Slack again anyway. */
const ROLE_REMOVED_BEFORE_MS = 3_000;
type Message = { text?: string; blocks?: unknown[] };

/**
 * The write permission is asked of Slack again when a form is submitted: someone who lost the role between opening
 * and submitting, or whom Slack cannot confirm at that moment, is refused and nothing is written at NetEase. One
 * table (guarded-forms.ts) lists every form, so a new form gets the same proof by adding its entry.
 */
describe.each(guardedForms)('$name: the write permission is checked again at submission', (form: GuardedForm) => {
  let h: UpdateHarness & { removeDir(): Promise<void> };
  let clock = 0;
  afterEach(async () => {
    await h.close();
    await h.removeDir();
  });

  const openAsAdmin = async () => {
    clock = Date.now();
    h = await startUpdateHarness({ now: () => clock });
    return form.open(h, ADMIN);
  };
  const answer = () => (form.answer ? form.answer(h) : h.slack.waitForCall('chat.postEphemeral', undefined, 15_000));
  const writesAtNetEase = () => h.emulator.received.filter((r) => form.writes.includes(r.endpoint)).length;

  it('refuses when the person lost the admin role after opening it; nothing is written; the refusal is audited', async () => {
    const opened = await openAsAdmin();
    h.slack.putPerson({ id: ADMIN, name: 'Ada Admin', role: 'member' });
    clock += CACHE_EXPIRED_MS;
    await opened.submit();
    const lacking = form.lacking ?? { reason: 'not_a_writer', text: /Editing needs the Slack role \*workspace admin\*/ };
    expect(visibleText((await answer()).args as Message)).toMatch(lacking.text);
    expect(writesAtNetEase()).toBe(0);
    expect((await h.records()).filter((r) => r.kind === 'refusal')).toMatchObject([
      { actor: ADMIN, action: form.action, refusal: { reason: lacking.reason } },
    ]);
  });

  it('refuses when the admin role was removed 3 s before the submission (no cached answer is trusted); nothing is written', async () => {
    const opened = await openAsAdmin();
    h.slack.putPerson({ id: ADMIN, name: 'Ada Admin', role: 'member' });
    clock += ROLE_REMOVED_BEFORE_MS;
    await opened.submit();
    const lacking = form.lacking ?? { reason: 'not_a_writer', text: /Editing needs the Slack role \*workspace admin\*/ };
    expect(visibleText((await answer()).args as Message)).toMatch(lacking.text);
    expect(writesAtNetEase()).toBe(0);
    expect((await h.records()).filter((r) => r.kind === 'refusal')).toMatchObject([
      { actor: ADMIN, action: form.action, refusal: { reason: lacking.reason } },
    ]);
  });

  it('refuses when users.info fails at submission; nothing is written; the refusal is audited', async () => {
    const opened = await openAsAdmin();
    h.slack.fail('users.info', 'fatal_error');
    clock += CACHE_EXPIRED_MS;
    await opened.submit();
    expect(visibleText((await answer()).args as Message)).toMatch(/could not confirm who you are/);
    expect(writesAtNetEase()).toBe(0);
    expect((await h.records()).filter((r) => r.kind === 'refusal')).toMatchObject([
      { actor: ADMIN, action: form.action, refusal: { reason: 'unknown_person' } },
    ]);
  });

  it('still writes for someone who keeps the role (the refusals above come from the re-check, not the form)', async () => {
    const opened = await openAsAdmin();
    clock += CACHE_EXPIRED_MS;
    await opened.submit();
    await answer();
    expect(writesAtNetEase()).toBe(1);
    expect((await h.records()).filter((r) => r.kind === 'refusal')).toEqual([]);
  });
});
