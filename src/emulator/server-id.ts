/** QChat server ids are unsigned 64-bit integers: larger than a JS number can hold exactly, so they stay strings. */
const MAX_SERVER_ID = 2n ** 64n - 1n;

/** The id in canonical decimal (no leading zeros), or undefined when it is not an unsigned 64-bit integer. */
export function canonicalServerId(text: string): string | undefined {
  if (!/^\d{1,20}$/.test(text)) return undefined;
  const id = BigInt(text);
  return id <= MAX_SERVER_ID ? id.toString() : undefined;
}
