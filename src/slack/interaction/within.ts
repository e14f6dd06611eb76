/**
 * How long a submission waits, before its ack, for the permission check and the card read that decide whether the
 * form must come back with a conflict. Slack closes the form on a plain ack and allows 3 s in all; past this the form
 * closes and a conflict found later is told in a message instead.
 */
export const PRE_ACK_MS = 1500;

/** `promise`'s value if it settles within `ms`, else undefined (the promise keeps running). */
export async function within<T>(promise: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), ms);
  });
  try {
    return await Promise.race([promise.catch(() => undefined), late]);
  } finally {
    clearTimeout(timer);
  }
}
