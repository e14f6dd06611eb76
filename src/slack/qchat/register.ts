import type { App } from '@slack/bolt';
import type { ReadDeps, WriteDeps } from '../interaction/deps.js';
import { registerQchatMember } from './qchat-member.js';
import { registerQchatNick } from './qchat-nick.js';
import { registerQchatNickSubmission } from './qchat-nick-submission.js';

/** QChat server members: `/qchat-member` always; `/qchat-nick` and its form when updates are wired (`write`). */
export function register(app: App, deps: ReadDeps, write?: WriteDeps): void {
  registerQchatMember(app, deps);
  if (!write) return;
  registerQchatNick(app, write);
  registerQchatNickSubmission(app, write);
}

export { memberEditApprovalKind } from './approval-kind.js';
