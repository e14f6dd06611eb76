import type { EmulatorEndpoint } from '../types.js';
import type { Handler } from './handler.js';
import { block, mute, muteModule, unblock } from './moderation.js';
import { updateServerMember } from './qchat.js';
import { getServerMemberListPage, updateOtherServerMember } from './qchat-members.js';
import { getUinfos, updateUinfo } from './users.js';

/** The endpoints the emulator serves, by path below /nimserver/. */
export const routes: Readonly<Record<EmulatorEndpoint, Handler>> = {
  'user/getUinfos.action': getUinfos,
  'user/updateUinfo.action': updateUinfo,
  'qchat/updateServerMember.action': updateServerMember,
  'qchat/updateOtherServerMember.action': updateOtherServerMember,
  'qchat/getServerMemberListPage.action': getServerMemberListPage,
  'user/mute.action': mute,
  'user/muteModule.action': muteModule,
  'user/block.action': block,
  'user/unblock.action': unblock,
};

export function routeFor(endpoint: string): Handler | undefined {
  return Object.hasOwn(routes, endpoint) ? routes[endpoint as EmulatorEndpoint] : undefined;
}
