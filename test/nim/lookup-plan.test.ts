import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.js';
import { mergeLookup, planLookup } from '../../src/nim/lookup-plan.js';

describe('lookup plan', () => {
  it('splits into chunks of 200 in the caller order', () => {
    const accids = Array.from({ length: 401 }, (_, i) => `u${i}`);
    const { chunks } = planLookup(accids);
    expect(chunks.map((c) => c.length)).toEqual([200, 200, 1]);
    expect(chunks.flat()).toEqual(accids);
    expect(planLookup(accids.slice(0, 200)).chunks).toHaveLength(1);
    expect(planLookup([]).chunks).toEqual([]);
  });

  it('drops case-insensitive duplicates, keeping the first spelling', () => {
    expect(planLookup(['Alice', 'bob', 'ALICE', 'alice', 'Bob', 'carol']).unique).toEqual(['Alice', 'bob', 'carol']);
  });

  it('names the offending accid', () => {
    const thrown = (() => {
      try {
        planLookup(['ok', 'x'.repeat(33), 'also bad!']);
      } catch (error) {
        return error;
      }
    })();
    expect(thrown).toBeInstanceOf(InputError);
    expect(thrown).toMatchObject({ field: 'accids', value: 'x'.repeat(33) });
    expect(() => planLookup(['fine', 'has space'])).toThrow(/has space/);
  });

  it('merges cards back in the caller order and reports the missing ones as typed', () => {
    const lookup = mergeLookup(
      ['Carol', 'ALICE', 'ghost', 'bob'],
      [{ accid: 'bob', name: 'Bob' }, { accid: 'alice', name: 'Alice' }, { accid: 'carol' }],
    );
    expect(lookup.found.map((c) => c.accid)).toEqual(['carol', 'alice', 'bob']);
    expect(lookup.notFound).toEqual(['ghost']);
  });
});
