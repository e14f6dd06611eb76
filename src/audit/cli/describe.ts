import type { ChainHead, ChainVerification } from '../store/contract.js';

export type TrailVerification = { kind: string; location: string; verification: ChainVerification };

/** What `npm run audit -- verify` prints: one line a person can act on. */
export function describeVerification({ kind, location, verification }: TrailVerification): string {
  const { head } = verification;
  const headText = `${head.count} records, head SHA-256 ${head.hash}${head.id ? ` (record ${head.id})` : ''}`;
  if (verification.ok) {
    const legacy = verification.legacy > 0 ? `, of which ${verification.legacy} from before the chain (v1, not chained)` : '';
    return `The audit chain of the ${kind} store ${location} is intact: ${headText}${legacy}.`;
  }
  const { position, id, where, reason } = verification.firstBad;
  return (
    `The audit chain of the ${kind} store ${location} is broken at record ${position}${id ? ` (${id})` : ''}, ${where}: ${reason}. ` +
    `The chain is intact up to the record before it: ${headText}.`
  );
}

/** `<count> <sha256>`: what `head` prints and `verify --head` takes (as `<count>:<sha256>`). */
export function headLine(head: ChainHead): string {
  return `${head.count} ${head.hash}`;
}

/** Parses `--head <count>:<sha256>`; a message saying what is wrong otherwise. */
export function parseHead(text: string): { count: number; hash: string } | string {
  const match = /^(\d{1,15})[: ]([0-9a-f]{64})$/.exec(text.trim().toLowerCase());
  if (!match)
    return `--head must be <count>:<sha256> as \`npm run audit -- head\` prints it (count, then 64 hex digits), not ${JSON.stringify(text.slice(0, 80))}`;
  return { count: Number(match[1]), hash: match[2]! };
}
