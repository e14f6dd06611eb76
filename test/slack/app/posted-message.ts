import { expect } from 'vitest';
import type { StoredMessage } from '../../../src/simulator/api-state.js';
import type { ApiCall } from '../../../src/simulator/recorder.js';
import type { SlackApi } from '../../../src/simulator/slack-api.js';
import { approvalActionIds } from '../../../src/slack/ids.js';
import { visibleText } from '../../support/app-harness.js';

/**
 * A message the app posted, read as it stands now in the local Slack (with every chat.update applied), not as the
 * calls say it was sent: what a person scrolling the channel would see.
 */
export function messageNow(slack: SlackApi, posted: ApiCall): StoredMessage {
  const where = posted.answer as { ok: boolean; channel?: string; ts?: string } | undefined;
  const message = where?.ok && where.channel && where.ts ? slack.message(where.channel, where.ts) : undefined;
  if (!message) throw new Error(`the local Slack keeps no message for this chat.postMessage (answered ${JSON.stringify(where)})`);
  return message;
}

/** Waits until the posted message reads `pattern` (its text and blocks as they stand); returns what it reads. */
export async function messageComesToRead(slack: SlackApi, posted: ApiCall, pattern: RegExp, timeoutMs = 15_000): Promise<string> {
  let read = '';
  await expect
    .poll(
      () => {
        read = visibleText(messageNow(slack, posted));
        return pattern.test(read);
      },
      { timeout: timeoutMs, message: `the posted message to come to read ${String(pattern)}` },
    )
    .toBe(true);
  return read;
}

/** An approval request's message, once decided or expired: it shows `outcome` and no longer offers Approve or Reject. */
export async function requestShowsOutcome(slack: SlackApi, posted: ApiCall, outcome: RegExp): Promise<string> {
  const read = await messageComesToRead(slack, posted, outcome);
  const blocks = JSON.stringify(messageNow(slack, posted).blocks ?? []);
  expect(blocks, 'the request message still offers Approve').not.toContain(approvalActionIds.approve);
  expect(blocks, 'the request message still offers Reject').not.toContain(approvalActionIds.reject);
  return read;
}
