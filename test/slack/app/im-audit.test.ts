import { afterEach, describe, expect, it } from 'vitest';
import { auditHistoryMoreAction } from '../../../src/slack/audit/history-blocks.js';
import { visibleText } from '../../support/app-harness.js';
import { startUpdateHarness, type UpdateHarness } from './update-harness.js';

/** `/im-audit` through the running app: signed commands and clicks in, the answer on the response URL. */
describe('/im-audit, through the running app', () => {
  let h: (UpdateHarness & { removeDir(): Promise<void> }) | undefined;
  afterEach(async () => {
    await h?.close();
    await h?.removeDir();
    h = undefined;
  });

  async function ask(text: string, user = 'U0ADMIN') {
    const { ack, responseId } = await h!.command('/im-audit', text, user);
    expect(ack.status).toBe(200);
    return (await h!.answer(responseId)).body as { text?: string; blocks?: { type: string; elements?: { value?: string }[] }[] };
  }

  /** The nicknames set (each change's "after"), in the order the entries are shown. */
  const nicksShown = (body: { text?: string; blocks?: unknown[] }) =>
    [...visibleText(body).matchAll(/→ `Nick-(\d+)`/g)].map((m) => Number(m[1]));

  async function setNicks(count: number) {
    for (let n = 1; n <= count; n++) {
      const { responseId } = await h!.command('/qchat-nick', `1513535 lina Nick-${n}`, 'U0ADMIN');
      await h!.answer(responseId);
    }
  }

  it("pages an account's changes and refusals newest first, with More for older ones, each page audited as a lookup", async () => {
    h = await startUpdateHarness();
    await setNicks(11);
    const refused = await h.command('/qchat-nick', '1513535 lina Sneaky', 'U0MEMBER');
    await h.answer(refused.responseId);

    const first = await ask('lina');
    const text = visibleText(first);
    expect(text).toContain('Audit history');
    expect(text.indexOf('Refused')).toBeLessThan(text.indexOf('Nick-11'));
    expect(text).toContain('<@U0MEMBER>');
    // The refusal and the nine newest updates; the page ends there.
    expect(nicksShown(first)).toEqual([11, 10, 9, 8, 7, 6, 5, 4, 3]);
    const more = first.blocks!.find((block) => block.type === 'actions')!.elements![0]!.value!;
    expect(JSON.parse(more)).toMatchObject({ accid: 'lina', before: expect.any(String) });

    const { responseId } = await h.click(auditHistoryMoreAction, more, 'U0ADMIN');
    const second = (await h.answer(responseId)).body as { blocks?: { type: string }[] };
    expect(nicksShown(second)).toEqual([2, 1]);
    expect(second.blocks!.some((block) => block.type === 'actions')).toBe(false);

    const lookups = (await h.records()).filter((record) => record.kind === 'lookup' && record.command === '/im-audit');
    expect(lookups).toHaveLength(2);
    expect(lookups[0]).toMatchObject({ actor: 'U0ADMIN', accids: ['lina'] });
  });

  it('shows what one person did when asked with a mention, and nothing of anyone else', async () => {
    h = await startUpdateHarness();
    await setNicks(2);
    const refused = await h.command('/qchat-nick', '1513535 lina Sneaky', 'U0MEMBER');
    await h.answer(refused.responseId);
    const byMember = visibleText(await ask('<@U0MEMBER|max>'));
    expect(byMember).toContain('Refused');
    expect(byMember).not.toContain('Nick-');
    const byAdmin = await ask('<@U0ADMIN|ada>');
    expect(nicksShown(byAdmin)).toContain(2);
    expect(visibleText(byAdmin)).not.toContain('Sneaky');
  });

  it('refuses people who may neither edit cards nor moderate, and records no lookup for them', async () => {
    h = await startUpdateHarness();
    const answer = visibleText(await ask('lina', 'U0MEMBER'));
    expect(answer).toContain('for people who may edit cards or moderate');
    const guest = visibleText(await ask('lina', 'U0GUEST'));
    expect(guest).toMatch(/guest/i);
    expect((await h.records()).filter((record) => record.kind === 'lookup')).toEqual([]);
  });

  it('answers a malformed account id with the usage, and ignores a More button whose value was forged', async () => {
    h = await startUpdateHarness();
    expect(visibleText(await ask('lina bob'))).toContain('/im-audit <account ID>');
    const forged = await h.click(auditHistoryMoreAction, '{"accid":"lina","before":"1","extra":1}', 'U0ADMIN');
    expect(forged.ack.status).toBe(200);
    // A positive signal first: a real page answered after the forged click was handled.
    expect(visibleText(await ask('lina'))).toContain('Nothing recorded');
    expect(h.slack.responses(forged.responseId)).toEqual([]);
  });

  it('answers @name typed as text (not picked as a Slack person) by saying so, not as an account id', async () => {
    h = await startUpdateHarness();
    const answer = visibleText(await ask('@ada'));
    expect(answer).toContain('`@ada` reached the app as text, not as a Slack person');
    expect(answer).not.toMatch(/Audit history|Nothing recorded/);
    expect((await h.records()).filter((record) => record.kind === 'lookup')).toEqual([]);
  });

  it('answers in Chinese to a Chinese reader', async () => {
    h = await startUpdateHarness({ access: { writeUsers: ['U0ZH'] } });
    expect(visibleText(await ask('lina', 'U0ZH'))).toContain('审计记录');
  });
});
