/**
 * NetEase's limits as its contract states them (/work/shared/nim-api.md, the updateUinfo and updateServerMember
 * tables), written here and not read from src/: a wrong limit in the app must fail these tests. "chars" are UTF-16
 * code units (JS `.length`, as NetEase's Java server counts); `icon` counts UTF-8 bytes.
 */
export const CARD_LIMITS = {
  name: { unit: 'chars', max: 64 },
  icon: { unit: 'bytes', max: 1024 },
  sign: { unit: 'chars', max: 256 },
  email: { unit: 'chars', max: 64 },
  birth: { unit: 'chars', max: 16 },
  mobile: { unit: 'chars', max: 32 },
  ex: { unit: 'chars', max: 1024 },
} as const;
export const MEMBER_LIMITS = { nick: 64, avatar: 1024, custom: 1024 } as const;
/** The contract's accid syntax: letters, digits, `_ @ . -`, at most 32 characters. */
export const ACCID = /^[A-Za-z0-9_@.-]{1,32}$/;
/** The largest unsigned 64-bit integer: a QChat server id is a 64-bit integer. */
export const SERVER_ID_MAX = 2n ** 64n - 1n;

export type CardField = keyof typeof CARD_LIMITS;

/** A card value's size in the unit NetEase limits it by. */
export function cardValueSize(field: CardField, value: string): number {
  return CARD_LIMITS[field].unit === 'bytes' ? Buffer.byteLength(value, 'utf8') : value.length;
}
