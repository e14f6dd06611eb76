import type { RefusalRecord } from './records.js';
import type { PostedMessage } from './store/contract.js';

/**
 * Identical refusals within a minute become one message in the audit channel with a count (30 replays of a refused
 * command: one post saying "30 times", not 30 posts). Identical: the same person, action, command, account and
 * reason. Each refusal is still its own record in the store (and marked posted as that message); only the channel
 * folds them. Kept in memory per process: replicas sharing a store fold what each of them posts.
 */
export class RefusalFolds {
  private readonly folds = new Map<string, { message: PostedMessage; firstAt: number; count: number }>();

  constructor(
    /** How long after the first one an identical refusal is folded into its message, in ms. @default 60000 */
    private readonly windowMs = 60_000,
  ) {}

  /** The message an identical refusal was posted as within the window, and how many it then stands for. */
  foldInto(refusal: RefusalRecord): { of: PostedMessage; count: number } | undefined {
    const fold = this.folds.get(keyOf(refusal));
    if (!fold || Date.parse(refusal.at) - fold.firstAt >= this.windowMs) return undefined;
    return { of: fold.message, count: fold.count + 1 };
  }

  /** The refusal is in the channel: as a new message, or folded (`count` of `of`). */
  posted(refusal: RefusalRecord, message: PostedMessage, count = 1): void {
    const key = keyOf(refusal);
    if (count === 1) this.folds.set(key, { message, firstAt: Date.parse(refusal.at), count });
    else this.folds.get(key)!.count = count;
    // Forget windows long past, so the map stays small.
    for (const [other, fold] of this.folds)
      if (Date.parse(refusal.at) - fold.firstAt >= this.windowMs && other !== key) this.folds.delete(other);
  }
}

function keyOf(refusal: RefusalRecord): string {
  const { actor, action, command, target } = refusal;
  return JSON.stringify([actor, action, command, target.accid.toLowerCase(), target.serverId ?? '', refusal.refusal]);
}
