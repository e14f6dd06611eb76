import { describe, expect, it } from 'vitest';
import { accountList, tokensOfFile, tokensOfText } from '../../../src/moderation/batch/account-list.js';

describe('the accounts of a bulk action', () => {
  it('takes ids separated by spaces, commas or new lines, folds duplicates case-insensitively and keeps the first spelling', () => {
    const list = accountList(tokensOfText('Spam1, spam2\nSPAM1  spam3，spam2'));
    expect(list).toEqual({ accids: ['Spam1', 'spam2', 'spam3'], duplicates: 2, invalid: [], invalidCount: 0 });
  });

  it('sets ids NetEase could not have aside, with the reason, and counts them all', () => {
    const list = accountList(tokensOfText(`ok1 bad! ${'x'.repeat(40)} ok2`));
    expect(list.accids).toEqual(['ok1', 'ok2']);
    expect(list.invalid.map((invalid) => invalid.text)).toEqual(['bad!', 'x'.repeat(40)]);
    expect(list.invalid[1]?.problem).toMatch(/longer than 32/);
    expect(list.invalidCount).toBe(2);
  });

  it('reads the first column of a .csv, skipping a header row and quotes', () => {
    expect(tokensOfFile('wave.csv', 'accid,registered\n"spam1",2026-12-01\r\nspam2,2026-12-02\n\n')).toEqual(['spam1', 'spam2']);
    expect(tokensOfFile('wave.CSV', 'spam1;x\nspam2;y')).toEqual(['spam1', 'spam2']);
  });

  it('reads a .txt as typed text', () => {
    expect(tokensOfFile('wave.txt', 'spam1\nspam2 spam3,spam4')).toEqual(['spam1', 'spam2', 'spam3', 'spam4']);
  });

  it('keeps 1,000 ids from a file in their order', () => {
    const ids = Array.from({ length: 1000 }, (_, i) => `wave${i}`);
    expect(accountList(tokensOfFile('wave.txt', ids.join('\n'))).accids).toEqual(ids);
  });
});
