import type { App, BlockButtonAction } from '@slack/bolt';
import { z } from 'zod';
import type { SanctionChanges } from '../../moderation/sanction-changes.js';
import { homeIds } from '../ids.js';
import { OpenHomes } from './open-homes.js';
import { publishHome, type HomeContext } from './publish.js';

const homeOpened = z.object({ user: z.string().regex(/^[UW][A-Z0-9]{2,}$/), tab: z.string().optional() });
const pageClick = z.object({
  user: z.object({ id: z.string().regex(/^[UW][A-Z0-9]{2,}$/) }),
  actions: z.array(z.object({ value: z.string().regex(/^\d{1,3}$/) })).min(1),
});

export type HomeFeature = { openHomes: OpenHomes; stop(): void };

/**
 * The App Home: published when someone opens it (app_home_opened, Home tab only), a page turned with its pager, and
 * republished for the people who have it open when a sanction made here changes (`changes`, paced per person).
 * Lift now and Extend… are the moderation feature's own buttons; the lookup box's button is answered by the lookup
 * feature.
 */
export function register(app: App, context: HomeContext, changes?: SanctionChanges): HomeFeature {
  const openHomes = new OpenHomes({
    publish: (userId, page) => publishHome(context, userId, page).then(() => undefined),
    now: context.now,
  });
  app.event('app_home_opened', async ({ event }) => {
    const parsed = homeOpened.safeParse(event);
    if (!parsed.success || (parsed.data.tab !== undefined && parsed.data.tab !== 'home')) return;
    const page = openHomes.pageOf(parsed.data.user);
    if (await publishHome(context, parsed.data.user, page)) openHomes.opened(parsed.data.user, page);
  });
  app.action<BlockButtonAction>(homeIds.page, async ({ ack, body }) => {
    await ack();
    const parsed = pageClick.safeParse(body);
    if (!parsed.success) return;
    const page = Number(parsed.data.actions[0]!.value);
    if (await publishHome(context, parsed.data.user.id, page)) openHomes.opened(parsed.data.user.id, page);
  });
  const unsubscribe = changes?.subscribe(() => openHomes.changed());
  return {
    openHomes,
    stop() {
      unsubscribe?.();
      openHomes.close();
    },
  };
}
