import { describe, expect, it } from 'vitest';
import { personTarget, targetPerson } from '../../../src/audit/records.js';
import { messages } from '../../../src/slack/i18n/catalog.js';
import { approvalLine, fallbackTarget, rollbackLine, targetLabel, targetText } from '../../../src/slack/audit/entry-subject.js';

const m = messages('en');

describe('what an entry is about', () => {
  it('names a person target by mention, and an account (even one that looks like a mention) as code', () => {
    expect(targetPerson(personTarget('U0ROGUE'))).toBe('U0ROGUE');
    expect(targetText(personTarget('U0ROGUE'))).toBe('<@U0ROGUE>');
    expect(targetLabel(m, personTarget('U0ROGUE'), 'Account')).toBe('Changes of');
    // Not a well-formed person target: shown as the escaped text it is, never as a mention or a link.
    for (const accid of ['<@U0X|evil>', '<!channel>', '<@U0X> <!here>']) {
      expect(targetPerson({ accid })).toBeUndefined();
      expect(targetText({ accid })).not.toMatch(/<[@!]/);
      expect(fallbackTarget({ accid })).not.toMatch(/<[@!]/);
    }
    expect(targetText({ accid: 'alice' })).toBe('`alice`');
    expect(targetLabel(m, { accid: 'alice' }, 'Account')).toBe('Account');
  });

  it('says how a request ended, with how many accounts it named when several', () => {
    const ended = (approvalEnded: NonNullable<Parameters<typeof approvalLine>[1]['approvalEnded']>) =>
      approvalLine(m, { actor: 'U0ADMIN', approvalEnded });
    expect(ended({ status: 'expired', accounts: 60 })).toBe(
      ':hourglass: Request expired before anyone approved it: nothing sent (the request was for 60 accounts)',
    );
    expect(ended({ status: 'rejected', by: 'U0SECOND' })).toBe(':no_entry_sign: Request rejected by <@U0SECOND>: nothing sent');
    expect(ended({ status: 'rejected', by: 'U0ADMIN' })).toMatch(/withdrawn by the requester/);
    expect(approvalLine(m, { actor: 'U0ADMIN', approvedBy: 'U0SECOND' })).toMatch(/Approved by <@U0SECOND>/);
    expect(approvalLine(m, { actor: 'U0ADMIN' })).toBeUndefined();
  });

  it("counts a rollback's changes and accounts since when", () => {
    const line = rollbackLine(m, { of: 'U0ROGUE', since: '2026-12-07T14:00:00.000Z', changes: 1, accounts: 1 });
    expect(line).toBe('1 change over 1 account since 2026-12-07 14:00:00 UTC');
  });
});
