/**
 * NetEase's de-duplication by the optional RequestId header (assumed, from the official server SDK's docs): a
 * RequestId seen again from the same app within `windowMs` is answered 431 without being applied. Ids are kept in
 * arrival order, so forgetting the expired ones is a walk from the front.
 */
export class RequestIdMemory {
  readonly #seenAt = new Map<string, number>();

  constructor(readonly windowMs: number) {}

  /** Remembers the id; true when it was already seen inside the window (the request is a repeat). */
  isRepeat(appKey: string, requestId: string, at: number): boolean {
    for (const [key, seenAt] of this.#seenAt) {
      if (at - seenAt < this.windowMs) break;
      this.#seenAt.delete(key);
    }
    const key = `${appKey}\n${requestId}`;
    if (this.#seenAt.has(key)) return true;
    this.#seenAt.set(key, at);
    return false;
  }
}
