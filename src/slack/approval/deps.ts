import type { webApi } from '@slack/bolt';
import type { Approvals, WriteDeps } from '../interaction/deps.js';
import type { ApprovalKinds } from './kinds.js';

/** What the approval feature uses: the guard's parts, the requests, and the kinds it can carry out. */
export type ApprovalDeps = Pick<WriteDeps, 'directory' | 'access' | 'metrics' | 'trail' | 'logger' | 'now'> & {
  approvals: Approvals;
  kinds: ApprovalKinds;
  /**
   * The bot's client (with its token) for the expiry sweep, which runs outside any request: Bolt's `app.client` has no
   * token there, and Slack answers every call of it with not_authed.
   */
  client: webApi.WebClient;
};
