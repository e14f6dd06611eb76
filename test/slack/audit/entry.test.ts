import { describe, expect, it } from 'vitest';
import type { IntentRecord, OutcomeRecord, RefusalRecord } from '../../../src/audit/records.js';
import { renderAuditEntry } from '../../../src/slack/audit/entry.js';
import { actorMention } from '../../../src/slack/ui/text.js';
import { textLength } from '../../../src/slack/ui/budget.js';
import { maskBirthday, maskEmail, maskMobile } from '../../../src/slack/ui/mask.js';

const intent: IntentRecord = {
  kind: 'intent',
  id: 'c0ffee-1',
  at: '2026-11-22T03:00:00.000Z',
  actor: 'U0ADMIN1',
  action: 'update_user_card',
  command: '/im update',
  target: { accid: 'alice' },
  changes: {
    name: { before: 'Alice', after: 'Alicia' },
    email: { before: 'alice.smith@example.com', after: 'alicia.jones@example.org' },
    mobile: { before: '+86-13800138000', after: '18612344545' },
    birth: { before: '1990-04-01', after: '1991-05-02' },
    gender: { after: 2 },
    sign: { before: 'hi', after: '' },
  },
};
const applied: OutcomeRecord = { kind: 'outcome', id: 'c0ffee-1', at: '2026-11-22T03:00:01.250Z', status: 'applied' };

/** Every text of the message, blocks and fallback, as one string. */
function allText(message: { text: string; blocks: unknown[] }): string {
  return JSON.stringify(message);
}

describe('renderAuditEntry: updates', () => {
  it('shows who, what, each change before → after, the outcome, the time and the correlation id', () => {
    const message = renderAuditEntry({ kind: 'update', intent, outcome: applied });
    const text = allText(message);
    expect(message.blocks[0]).toMatchObject({ type: 'header', text: { text: 'Audit · User card update' } });
    expect(text).toContain('<@U0ADMIN1>');
    expect(text).toContain('`/im update`');
    expect(text).toContain('`alice`');
    expect(text).toContain('*Nickname*\\n`Alice` → `Alicia`');
    expect(text).toContain('*Gender*\\n(not read) → Female');
    expect(text).toContain('*Signature*\\n`hi` → (empty)');
    expect(text).toContain(':white_check_mark: Applied');
    expect(text).toContain('2026-11-22 03:00:01 UTC');
    expect(text).toContain('Correlation ID: c0ffee-1');
    expect(message.text).toBe('Audit: User card update of alice by <@U0ADMIN1>: :white_check_mark: Applied');
  });

  it('masks email, mobile and birthday, before and after', () => {
    const text = allText(renderAuditEntry({ kind: 'update', intent, outcome: applied }));
    for (const secret of ['alice.smith', 'alicia.jones', '13800138000', '18612344545', '1990', '1991']) {
      expect(text).not.toContain(secret);
    }
    const shown = (before: string, after: string) => `\`${before}\` → \`${after}\``;
    expect(text).toContain(shown(maskEmail('alice.smith@example.com'), maskEmail('alicia.jones@example.org')));
    expect(text).toContain(shown(maskMobile('+86-13800138000'), maskMobile('18612344545')));
    expect(text).toContain(shown(maskBirthday('1990-04-01'), maskBirthday('1991-05-02')));
    expect(text).toContain('masked');
  });

  it('shows NetEase code and text for a failure', () => {
    const outcome: OutcomeRecord = {
      ...applied,
      status: 'failed',
      nimCode: 414,
      errorCode: 'nim_api_error',
      detail: 'parameter error: mobile',
    };
    const text = allText(renderAuditEntry({ kind: 'update', intent, outcome }));
    expect(text).toContain(':x: Failed');
    expect(text).toContain('NetEase code 414: parameter error: mobile');
  });

  it.each([
    ['in_place', 'change in place'],
    ['not_in_place', 'change not in place'],
    ['unknown', 'could not be verified'],
  ] as const)('says "outcome unknown" with the read-back verdict after a crash (%s)', (readBack, words) => {
    const outcome: OutcomeRecord = { ...applied, status: 'unknown', recovered: true, readBack, detail: 'stopped' };
    const text = allText(renderAuditEntry({ kind: 'update', intent, outcome }));
    expect(text).toContain(':grey_question: Outcome unknown');
    expect(text).toContain(`read back at restart: *${words}*`);
  });

  it('escapes hostile values so nothing pings or links', () => {
    const hostile: IntentRecord = {
      ...intent,
      command: '/im <!here>',
      target: { accid: '<!channel>', serverId: '<@U999>' },
      changes: { name: { before: '<!everyone> & co', after: '<https://evil.example|click>' } },
    };
    const outcome: OutcomeRecord = { ...applied, status: 'failed', nimCode: 403, detail: 'rejected <!subteam^S1>' };
    const message = renderAuditEntry({ kind: 'update', intent: hostile, outcome });
    const text = allText(message);
    expect(text).not.toMatch(/<!|<@U999|<https/);
    expect(text).toContain('&lt;!everyone&gt; &amp; co');
    expect(message.text).toContain('&lt;!channel&gt;');
    // The actor's is the one mention.
    expect(text.match(/<@/g)).toHaveLength(2); // blocks and fallback
  });

  it('never turns a malformed actor into a mention', () => {
    expect(actorMention('U0ADMIN1')).toBe('<@U0ADMIN1>');
    expect(actorMention('W0ENTERPRISE')).toBe('<@W0ENTERPRISE>');
    expect(actorMention('U1><!channel')).toBe('`U1&gt;&lt;!channel`');
  });

  it('stays within Slack limits for the longest and most hostile values', () => {
    const huge = '<&>'.repeat(400);
    const changes = Object.fromEntries(
      ['name', 'icon', 'sign', 'email', 'birth', 'mobile', 'ex', 'nick'].map((field) => [field, { before: huge, after: huge }]),
    );
    const message = renderAuditEntry({ kind: 'update', intent: { ...intent, changes }, outcome: { ...applied, detail: huge } });
    expect(textLength(message.blocks)).toBeLessThanOrEqual(12_000);
    expect(message.blocks.length).toBeLessThanOrEqual(50);
    for (const block of message.blocks) {
      if (block.type === 'section' && block.text) expect(block.text.text.length).toBeLessThanOrEqual(3000);
      if (block.type === 'section') for (const field of block.fields ?? []) expect(field.text.length).toBeLessThanOrEqual(2000);
    }
  });

  it('names the QChat server of a member card update, in Chinese when asked', () => {
    const qchat: IntentRecord = {
      ...intent,
      action: 'qchat_update_member',
      command: '/qchat-nick',
      target: { accid: 'bob', serverId: '1234567890123' },
      changes: { nick: { after: '小明' } },
    };
    const message = renderAuditEntry({ kind: 'update', intent: qchat, outcome: applied }, 'zh-CN');
    const text = allText(message);
    expect(message.blocks[0]).toMatchObject({ type: 'header', text: { text: '审计 · 修改圈组成员名片' } });
    expect(text).toContain('`1234567890123`');
    expect(text).toContain('`小明`');
  });
});

describe('renderAuditEntry: refusals', () => {
  const refusal: RefusalRecord = {
    kind: 'refusal',
    id: 'r-1',
    at: '2026-11-22T03:05:00.000Z',
    actor: 'U0GUEST',
    action: 'update_user_card',
    command: '/im update',
    target: { accid: 'alice' },
    refusal: { reason: 'not_a_writer', required: 'admin', usergroups: ['S0EDITORS'] },
  };

  it('says how many identical refusals one message stands for, and nothing of the kind for one', () => {
    const once = JSON.stringify(renderAuditEntry({ kind: 'refusal', refusal }).blocks);
    expect(once).not.toMatch(/times within a minute/);
    const folded = JSON.stringify(renderAuditEntry({ kind: 'refusal', refusal }, 'en', undefined, undefined, 30).blocks);
    expect(folded).toMatch(/Refused \*30 times\* within a minute/);
    expect(JSON.stringify(renderAuditEntry({ kind: 'refusal', refusal }, 'zh-CN', undefined, undefined, 30).blocks)).toContain('30 次');
  });

  it('says who was refused what, and why, without mentioning the user group', () => {
    const message = renderAuditEntry({ kind: 'refusal', refusal });
    const text = allText(message);
    expect(message.blocks[0]).toMatchObject({ type: 'header', text: { text: 'Audit · refused: User card update' } });
    expect(text).toContain('<@U0GUEST>');
    expect(text).toContain('Editing needs the role *workspace admin* or higher, or membership of one of these user groups: `S0EDITORS`.');
    expect(text).not.toContain('<!subteam');
    expect(text).toContain('Correlation ID: r-1');
    expect(message.text).toBe('Audit: refused User card update of alice for <@U0GUEST>');
  });

  it.each(['guest', 'single_channel_guest', 'bot', 'deactivated', 'unknown_person', 'tampered_submission'] as const)(
    'explains a %s refusal in both languages',
    (reason) => {
      for (const locale of ['en', 'zh-CN'] as const) {
        const message = renderAuditEntry({ kind: 'refusal', refusal: { ...refusal, refusal: { reason } } }, locale);
        const reasonBlock = message.blocks[2];
        expect(reasonBlock).toMatchObject({ type: 'section' });
        expect(JSON.stringify(reasonBlock)).not.toContain('undefined');
      }
    },
  );
});
