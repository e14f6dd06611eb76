import { z } from 'zod';

/**
 * A user card as NetEase returns it from user/getUinfos.action. Unset fields are absent, so every field is optional;
 * unknown fields are dropped. The mute module flags come only with muteStatus=true.
 */
export const userCardSchema = z.object({
  accid: z.string(),
  name: z.string().optional(),
  icon: z.string().optional(),
  sign: z.string().optional(),
  email: z.string().optional(),
  birth: z.string().optional(),
  mobile: z.string().optional(),
  ex: z.string().optional(),
  /** 0 unknown, 1 male, 2 female. */
  gender: z.number().int().optional(),
  /** false when the account is blocked. */
  valid: z.boolean().optional(),
  /** Global mute. */
  mute: z.boolean().optional(),
  muteP2P: z.boolean().optional(),
  muteTeam: z.boolean().optional(),
  muteRoom: z.boolean().optional(),
  muteQChat: z.boolean().optional(),
});
export type UserCard = z.infer<typeof userCardSchema>;

/**
 * The fields of a card that user/updateUinfo.action can change. Absent keeps a field, '' clears it (not gender). The
 * one description of a card change: the type, the list of fields and what a stored request is read with (an approval's
 * payload) all come from it, so a field added here is known everywhere at once. Unknown fields are refused.
 */
export const userCardChangesSchema = z
  .object({
    name: z.string().optional(),
    icon: z.string().optional(),
    sign: z.string().optional(),
    email: z.string().optional(),
    birth: z.string().optional(),
    mobile: z.string().optional(),
    gender: z.union([z.literal(0), z.literal(1), z.literal(2)]).optional(),
    ex: z.string().optional(),
  })
  .strict();
export type UserCardChanges = z.infer<typeof userCardChangesSchema>;
export const userCardChangeFields = userCardChangesSchema.keyof().options;
export type UserCardChangeField = (typeof userCardChangeFields)[number];

/** The places NetEase can mute an account besides everywhere (user/muteModule.action's flags). */
export const muteModules = ['muteP2P', 'muteTeam', 'muteRoom', 'muteQChat'] as const;
export type MuteModule = (typeof muteModules)[number];
/** Module flags to set; absent modules keep their state. At least one is required. */
export type ModuleMutes = Partial<Record<MuteModule, boolean>>;

/** The result of a lookup, in the caller's order. */
export type UserLookup = {
  /** Cards NetEase returned, in the order the accids were asked for (after case-insensitive de-duplication). */
  found: UserCard[];
  /** Accids NetEase did not return, as the caller typed them. */
  notFound: string[];
};

/** qchat/updateServerMember.action's `serverMember`; times are epoch milliseconds. */
export const serverMemberSchema = z.object({
  // 64-bit ids may arrive as numbers beyond 2^53; the client reads the raw text to keep them exact.
  serverId: z.union([z.string(), z.number()]).transform(String),
  accid: z.string(),
  nick: z.string().optional(),
  avatar: z.string().optional(),
  custom: z.string().optional(),
  /** 0 member, 1 owner. */
  type: z.number().int().optional(),
  joinTime: z.number().optional(),
  inviter: z.string().optional(),
  /** 0 no longer a member, 1 member. */
  validFlag: z.number().int().optional(),
  createTime: z.number().optional(),
  updateTime: z.number().optional(),
});
export type ServerMember = z.infer<typeof serverMemberSchema>;

export type ServerMemberUpdate = {
  accid: string;
  /** QChat server id: a 64-bit unsigned integer written in decimal. */
  serverId: string;
  nick?: string;
  avatar?: string;
  custom?: string;
};

/** How a write ended when NetEase did not say so plainly. */
export type WriteResult = {
  /** True when the first answer was ambiguous and a read-back confirmed the change is in place. */
  confirmedByReadBack: boolean;
};
