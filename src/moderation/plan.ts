import type { BlockOptions } from '../nim/moderation.js';
import { type ModuleMutes, type MuteModule, muteModules, type UserCard, type WriteResult } from '../nim/types.js';
import type { FieldChange } from '../audit/index.js';
import type { ModerationNim } from './moderation-nim.js';
import { type Sanction, scopeModules } from './sanction.js';

/** What to send to NetEase for one account, decided from its state read first: the flag changes and the calls. */

export type Plan = {
  changes: Record<string, FieldChange>;
  send: (nim: ModerationNim, accid: string, correlationId: string) => Promise<WriteResult>;
};

/** What to send for one account, from its state read first; undefined when it is already so. */
export function planFor(sanction: Sanction, card: UserCard): Plan | undefined {
  const flag = (value: boolean | undefined) => String(value ?? false);
  switch (sanction.kind) {
    case 'mute': {
      if (sanction.scope === 'everywhere' || sanction.scope === undefined) {
        if (card.mute === true) return undefined;
        return {
          changes: { mute: { before: flag(card.mute), after: 'true' } },
          send: (nim, a, c) => nim.setGlobalMute(a, true, { correlationId: c }),
        };
      }
      const modules = scopeModules(sanction.scope).filter((module) => card[module] !== true);
      return modulePlan(card, modules, true);
    }
    case 'unmute': {
      const modules = muteModules.filter((module) => card[module] === true);
      if (card.mute !== true) return modulePlan(card, modules, false);
      const global: Plan = {
        changes: { mute: { before: 'true', after: 'false' } },
        send: (nim, a, c) => nim.setGlobalMute(a, false, { correlationId: c }),
      };
      const rest = modulePlan(card, modules, false);
      if (!rest) return global;
      return {
        changes: { ...global.changes, ...rest.changes },
        send: async (nim, a, c) => {
          const first = await global.send(nim, a, c);
          const second = await rest.send(nim, a, c);
          return { confirmedByReadBack: first.confirmedByReadBack || second.confirmedByReadBack };
        },
      };
    }
    case 'block':
      if (card.valid === false) return undefined;
      return {
        changes: { valid: { before: 'true', after: 'false' } },
        send: (nim, a, c) => {
          const options: BlockOptions = { needkick: sanction.needkick ?? false };
          if (sanction.kickNotifyExt) options.kickNotifyExt = sanction.kickNotifyExt;
          return nim.blockAccount(a, options, { correlationId: c });
        },
      };
    case 'unblock':
      if (card.valid !== false) return undefined;
      return { changes: { valid: { before: 'false', after: 'true' } }, send: (nim, a, c) => nim.unblockAccount(a, { correlationId: c }) };
  }
}

function modulePlan(card: UserCard, modules: readonly MuteModule[], muted: boolean): Plan | undefined {
  if (modules.length === 0) return undefined;
  const flags: ModuleMutes = Object.fromEntries(modules.map((module) => [module, muted]));
  const changes = Object.fromEntries(modules.map((module) => [module, { before: String(card[module] ?? false), after: String(muted) }]));
  return { changes, send: (nim, accid, correlationId) => nim.setModuleMutes(accid, flags, { correlationId }) };
}

/** The card with every mute off: what to send to mute it again in the same scope. */
export function unmutedCopy(card: UserCard): UserCard {
  return { ...card, mute: false, muteP2P: false, muteTeam: false, muteRoom: false, muteQChat: false };
}
