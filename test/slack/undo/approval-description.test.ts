import { describe, expect, it } from 'vitest';
import { describeRollback, type RollbackApprovalPayload } from '../../../src/slack/rollback/approval-kind.js';
import { describeUndo, type UndoApprovalPayload } from '../../../src/slack/undo/approval-kind.js';

const undo: UndoApprovalPayload = {
  kind: 'undo',
  locale: 'en',
  undo: {
    entryId: 'e1',
    action: 'update_user_card',
    target: { accid: 'alice' },
    send: { email: 'alice.real@example.com', name: 'Alice' },
    seen: { email: 'mallory@evil.example', name: '*Mallory* <!channel>' },
  },
  original: { action: 'update_user_card', actor: 'U0EDIT', at: '2026-12-07T12:00:00.000Z' },
};

const rollback: RollbackApprovalPayload = {
  kind: 'rollback',
  locale: 'en',
  actor: 'U0ROGUE',
  since: Date.parse('2026-12-07T11:00:00Z'),
  until: Date.parse('2026-12-07T13:00:00Z'),
  accounts: 1,
  items: [
    {
      id: 'r1',
      at: '2026-12-07T12:00:00.000Z',
      action: 'update_user_card',
      accid: 'alice',
      status: 'undo',
      send: { mobile: '18612344545' },
    },
  ],
};

const shown = (blocks: unknown) => JSON.stringify(blocks);

describe('approval requests of undos and rollbacks, as the shared channel shows them', () => {
  it('an undo shows each value as seen → as it will be, escaped, with email masked and said so', () => {
    const { line, blocks } = describeUndo(undo, 'en');
    expect(line).toMatch(/Undo.*`alice`.*<@U0EDIT>/);
    const text = shown(blocks);
    expect(text).toContain('al…@example.com');
    expect(text).not.toContain('alice.real@example.com');
    expect(text).not.toContain('mallory@evil.example');
    expect(text).not.toContain('<!channel>');
    expect(text).toMatch(/Email, mobile and birthday are masked/);
  });

  it('a rollback lists its previewed changes with a mobile masked', () => {
    const { line, blocks } = describeRollback(rollback, 'en');
    expect(line).toMatch(/Roll back\* 1 change over 1 account by <@U0ROGUE>/);
    const text = shown(blocks);
    expect(text).toContain('186****4545');
    expect(text).not.toContain('18612344545');
    expect(text).toMatch(/Email, mobile and birthday are masked/);
  });
});
