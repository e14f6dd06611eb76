import { z } from 'zod';

/**
 * What the page may send to the simulator's JSON API, each bounded: the page lets anyone act as anyone, so nothing it
 * sends is trusted to be small or well formed.
 */

const slackId = z.string().regex(/^[A-Z0-9:]{2,40}$/);
// Longer than Slack's 4,000 characters is accepted here so the simulator can refuse it in Slack's words.
export const commandInput = z.object({ user: slackId, channel: slackId, text: z.string().max(60_000) });
export const actionInput = z.object({
  user: slackId,
  messageId: z.string().max(40).optional(),
  viewId: z.string().max(300).optional(),
  actionId: z.string().max(255),
  blockId: z.string().max(255),
  type: z.enum(['button', 'static_select']).default('button'),
  value: z.string().max(2000).optional(),
  text: z.string().max(300).optional(),
  selected: z.object({ text: z.string().max(300), value: z.string().max(150) }).optional(),
});
export const submitInput = z.object({
  user: slackId,
  viewId: z.string().max(300),
  // Per input: the text typed (Slack's longest input is 3,000 characters), or the value(s) of the option(s) chosen.
  values: z.record(
    z.string().max(255),
    z.record(z.string().max(255), z.union([z.string().max(3000), z.array(z.string().max(150)).max(100)])),
  ),
});
/** A file picked in a file_input: its name and text (the app takes .txt and .csv lists; 2 MB leaves room to test its limit). */
export const fileInput = z.object({ user: slackId, name: z.string().min(1).max(255), content: z.string().max(2 * 1024 * 1024) });
export const homeOpenInput = z.object({ user: slackId });
export const homeActionInput = z.object({
  user: slackId,
  actionId: z.string().max(255),
  blockId: z.string().max(255),
  value: z.string().max(2000).optional(),
  values: z.record(z.string().max(255), z.record(z.string().max(255), z.string().max(3000))).default({}),
});
export const shortcutInput = z.object({ user: slackId, messageId: z.string().max(40), callbackId: z.string().max(255) });
export const stepRunInput = z.object({
  user: slackId,
  callbackId: z.string().max(255),
  inputs: z.record(z.string().max(64), z.union([z.string().max(4000), z.boolean()])),
});
/** `viewId: 'all'`: the page was (re)loaded, and Slack's client forgets open modals on reload. */
export const closeInput = z.object({ user: slackId, viewId: z.string().max(300) });
