import type { App, MessageShortcut } from '@slack/bolt';
import { z } from 'zod';
import { findAccids } from '../../lookup/find-accids.js';
import { lookupShortcutIds } from '../ids.js';
import { ephemeralReply } from '../interaction/reply.js';
import { requestOf } from '../interaction/request-context.js';
import { unescapeSlackText } from '../ui/mrkdwn.js';
import type { LookupDeps } from './deps.js';
import { answerAccids } from './answer-accids.js';

const shortcutPayload = z.object({
  user: z.object({ id: z.string().regex(/^[UW][A-Z0-9]{2,}$/) }),
  message: z.object({
    text: z.string().max(40_000).optional(),
    attachments: z.array(z.object({ text: z.string().max(40_000).optional(), fallback: z.string().max(40_000).optional() })).optional(),
  }),
});

/**
 * ⋮ → Look up IM accounts on any message: the account ids IM_ACCID_PATTERN finds in its text are answered as
 * `/im-user` answers them, ephemerally, only to the person who used the shortcut; nothing found says so.
 */
export function registerLookupShortcut(app: App, deps: LookupDeps, accidPattern: RegExp): void {
  app.shortcut<MessageShortcut>(lookupShortcutIds.lookUp, async ({ ack, body, respond, context }) => {
    await ack();
    const { correlationId, log } = requestOf(context);
    const payload = shortcutPayload.safeParse(body);
    if (!payload.success) {
      log.warn({ issues: payload.error.issues }, 'unreadable message shortcut payload');
      return;
    }
    const { message } = payload.data;
    const text = [message.text ?? '', ...(message.attachments ?? []).map((a) => a.text ?? a.fallback ?? '')].join('\n');
    const found = findAccids(unescapeSlackText(text), accidPattern);
    await answerAccids(deps, {
      userId: payload.data.user.id,
      accids: found.accids,
      truncated: found.truncated,
      command: 'Look up IM accounts shortcut',
      reply: ephemeralReply(respond, log),
      correlationId,
      log,
    });
  });
}
