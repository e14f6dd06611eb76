import { describe, expect, it } from 'vitest';
import { ChainWalk, chainedText, chainHash, GENESIS_HASH } from '../../../src/audit/store/chain.js';

/** Builds a chain of stored texts from records, the way both stores write them. */
function chain(ids: string[], start = GENESIS_HASH): string[] {
  let prev = start;
  return ids.map((id) => {
    const text = chainedText({ kind: 'refusal', id }, prev);
    prev = chainHash(text);
    return text;
  });
}

function walk(texts: string[]) {
  const walker = new ChainWalk();
  texts.forEach((text, n) => walker.push(text, `line ${n + 1}`));
  return walker.result();
}

describe('ChainWalk', () => {
  it('accepts a chain that follows the rule and reports its head', () => {
    const texts = chain(['a', 'b', 'c']);
    expect(walk(texts)).toEqual({ ok: true, head: { count: 3, hash: chainHash(texts[2]!), id: 'c' }, legacy: 0 });
  });

  it('reads v1 records (no prev) before the chain begins and chains the first record to the last of them', () => {
    const v1 = ['{"kind":"refusal","id":"old1"}', '{"kind":"refusal","id":"old2"}'];
    const texts = [...v1, ...chain(['a'], chainHash(v1[1]!))];
    expect(walk(texts)).toMatchObject({ ok: true, legacy: 2, head: { count: 3, id: 'a' } });
  });

  it('names an altered record, not the one after it that noticed', () => {
    const texts = chain(['a', 'b', 'c']);
    texts[1] = texts[1]!.replace('"b"', '"b2"');
    expect(walk(texts)).toMatchObject({ ok: false, firstBad: { position: 2, id: 'b2', where: 'line 2' } });
  });

  it('refuses a record without prev once the chain began, and a chain whose start was cut off', () => {
    const texts = chain(['a', 'b']);
    expect(walk([...texts, '{"kind":"refusal","id":"sneaked"}'])).toMatchObject({
      ok: false,
      firstBad: { position: 3, id: 'sneaked' },
    });
    expect(walk(texts.slice(1))).toMatchObject({ ok: false, firstBad: { position: 1, id: 'b' } });
  });

  it('names a line that does not parse', () => {
    const texts = chain(['a']);
    expect(walk([...texts, '{"kind":"ref'])).toMatchObject({ ok: false, firstBad: { position: 2, where: 'line 2' } });
  });
});
