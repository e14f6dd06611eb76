import type { App, BlockButtonAction } from '@slack/bolt';
import { z } from 'zod';
import { homeIds } from '../ids.js';
import { parseAccidList } from '../interaction/command-text.js';
import { requestOf } from '../interaction/request-context.js';
import type { LookupDeps } from './deps.js';
import { answerAccids } from './answer-accids.js';

const lookupClick = z.object({
  user: z.object({ id: z.string().regex(/^[UW][A-Z0-9]{2,}$/) }),
  view: z.object({
    state: z.object({ values: z.record(z.string(), z.record(z.string(), z.object({ value: z.string().max(4000).nullish() }))) }),
  }),
});

/**
 * The Home tab's lookup box: what was typed is looked up as `/im-user` does, and answered in the person's messages
 * with im-admin (a Home view has no response_url, and the cards' buttons need a message to act from).
 */
export function registerHomeLookupBox(app: App, deps: LookupDeps): void {
  app.action<BlockButtonAction>(homeIds.lookup, async ({ ack, body, client, context }) => {
    await ack();
    const { correlationId, log } = requestOf(context);
    const click = lookupClick.safeParse(body);
    if (!click.success) {
      log.warn({ issues: click.error.issues }, 'unreadable Home lookup click');
      return;
    }
    const userId = click.data.user.id;
    const typed = parseAccidList(click.data.view.state.values[homeIds.lookupBlock]?.[homeIds.lookupInput]?.value ?? '');
    await answerAccids(deps, {
      userId,
      accids: typed.accids,
      invalid: typed.invalid,
      command: 'Home lookup',
      reply: async (message) => {
        try {
          await client.chat.postMessage({ channel: userId, ...message, text: message.text ?? '' });
          return true;
        } catch (error) {
          log.warn({ err: error }, 'could not send the Home lookup answer');
          return false;
        }
      },
      correlationId,
      log,
    });
  });
}
