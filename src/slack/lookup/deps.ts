import type { SanctionSource } from '../../moderation/sanction-info.js';
import type { ReadDeps } from '../interaction/deps.js';

/** What the lookup feature reads with: the read side, and what the audit trail adds to a card when there is one. */
export type LookupDeps = ReadDeps & {
  /** Moderation is wired (it needs the audit trail too): moderators get Mute…, Unmute, Block…, Unblock. */
  moderateEnabled: boolean;
  /** The audit store's history and lift schedule: cards and mute status say who set a sanction here. */
  sanctionSource?: SanctionSource;
  /** IM_ACCID_PATTERN, compiled: finds account ids in a message for the Look up IM accounts shortcut. */
  accidPattern: RegExp;
};
