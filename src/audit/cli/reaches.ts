import { ChainWalk } from '../store/chain.js';

/**
 * Whether the trail still reaches a head posted earlier (`verify --head`): walking the stored records in chain order,
 * the record at position `count` must hash to `hash`. Records removed from the end, or rewritten together with the
 * head row, pass the chain's own check; they do not pass this one, because the head was posted elsewhere (Slack).
 */
export async function reachesHead(records: AsyncIterable<string>, head: { count: number; hash: string }): Promise<string | undefined> {
  if (head.count === 0) return undefined;
  const walk = new ChainWalk();
  let position = 0;
  for await (const text of records) {
    walk.push(text, `record ${position + 1}`);
    position++;
    if (position === head.count) {
      const reached = walk.head();
      if (reached.hash === head.hash) return undefined;
      return `record ${head.count} hashes to ${reached.hash}, not ${head.hash}: the trail was rewritten at or before that record`;
    }
  }
  return `the trail holds ${position} records, fewer than the ${head.count} of that head: its newest records were removed`;
}
