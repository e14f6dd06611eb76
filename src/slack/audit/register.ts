import type { App } from '@slack/bolt';
import { registerAuditHistoryMore } from './history-more.js';
import type { AuditHistoryDeps } from './history.js';
import { registerImAudit } from './im-audit.js';

export { auditChannelPosts, markUndoneInChannel } from './channel-post.js';

/** The audit trail in Slack: `/im-audit` and its "More" button (the channel posts are wired by compose.ts). */
export function register(app: App, deps: AuditHistoryDeps): void {
  registerImAudit(app, deps);
  registerAuditHistoryMore(app, deps);
}
