import { describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import type { ApprovalState } from '../../../src/approval/index.js';
import { approvalKinds, openStored } from '../../../src/slack/approval/kinds.js';
import { defineApprovalKind } from '../../../src/slack/interaction/approval-kind.js';

const run = vi.fn(() => Promise.resolve());
const nick = defineApprovalKind({
  kind: 'nick',
  schema: z.object({ kind: z.literal('nick'), locale: z.enum(['en', 'zh-CN']), nick: z.string().max(5) }),
  describe: (payload) => ({ line: `nick ${payload.nick}`, blocks: [] }),
  attempt: () => ({ action: 'qchat_update_member', target: { accid: 'alice' } }),
  run,
});
const log = { error: vi.fn() } as never;
const state = (payload: unknown): ApprovalState => ({
  id: 'r1',
  requester: 'U1',
  permission: 'write',
  action: 'qchat_update_member',
  payload,
  requestedAt: 0,
  expiresAt: 1,
  status: 'pending',
});

describe('the kinds an approval can carry out', () => {
  it('opens a stored payload by its kind: its description and its run', async () => {
    const opened = openStored(approvalKinds([nick]), state({ kind: 'nick', locale: 'zh-CN', nick: 'Al' }), log);
    expect(opened?.locale).toBe('zh-CN');
    expect(opened?.describe('en').line).toBe('nick Al');
    await opened?.run({} as never);
    expect(run).toHaveBeenCalledOnce();
  });

  it('a payload no kind reads, or that fails its schema, opens nothing (so nothing can run)', () => {
    const kinds = approvalKinds([nick]);
    expect(openStored(kinds, state({ kind: 'rollback', locale: 'en' }), log)).toBeUndefined();
    expect(openStored(kinds, state({ kind: 'nick', locale: 'en', nick: 'far too long' }), log)).toBeUndefined();
    expect(openStored(kinds, state('nick'), log)).toBeUndefined();
  });

  it('two kinds of one name are refused when the table is built', () => {
    expect(() => approvalKinds([nick, nick])).toThrow(/two kinds are called nick/);
  });
});
