import type { App, GlobalShortcut } from '@slack/bolt';
import { z } from 'zod';
import { moderationShortcutIds } from '../ids.js';
import type { WriteDeps } from '../interaction/deps.js';
import { requestOf } from '../interaction/request-context.js';
import { openModeration } from './open.js';

const shortcutPayload = z.object({
  user: z.object({ id: z.string().regex(/^[UW][A-Z0-9]{2,}$/) }),
  trigger_id: z.string().min(1).max(255),
});

/**
 * ⚡ → Mute IM accounts…: the mute form, empty, exactly as `/im-mute` with nothing typed opens it (the moderate
 * permission is checked first and a refusal audited). A global shortcut has no channel: the report stays in the modal.
 */
export function registerMuteShortcut(app: App, deps: WriteDeps): void {
  app.shortcut<GlobalShortcut>(moderationShortcutIds.mute, async ({ ack, body, client, context }) => {
    await ack();
    const { correlationId, log } = requestOf(context);
    const payload = shortcutPayload.safeParse(body);
    if (!payload.success) {
      log.warn({ issues: payload.error.issues }, 'unreadable global shortcut payload');
      return;
    }
    await openModeration(deps, {
      kind: 'mute',
      userId: payload.data.user.id,
      channelId: undefined,
      triggerId: payload.data.trigger_id,
      command: 'Mute IM accounts… shortcut',
      prefill: { accids: [] },
      confirm: false,
      // A global shortcut has no response_url: if the modal cannot open, the log says why.
      respond: () => Promise.reject(new Error('a global shortcut has no response_url')),
      client,
      correlationId,
      log,
    });
  });
}
