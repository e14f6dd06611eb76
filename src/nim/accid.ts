/** NetEase account ids: letters, digits and `_ @ . -`, at most 32 characters, case-insensitive (stored lower-cased). */
export const ACCID_MAX_LENGTH = 32;
const ACCID_PATTERN = /^[A-Za-z0-9_@.-]+$/;

/** Why `accid` is not a valid NetEase account id, in plain words, or undefined when it is valid. */
export function accidProblem(accid: string): string | undefined {
  if (accid.length === 0) return 'is empty';
  if (accid.length > ACCID_MAX_LENGTH) return `is longer than ${ACCID_MAX_LENGTH} characters`;
  if (!ACCID_PATTERN.test(accid)) return 'may contain only letters, digits and _ @ . -';
  return undefined;
}

/** The key NetEase matches accids by. */
export function accidKey(accid: string): string {
  return accid.toLowerCase();
}
