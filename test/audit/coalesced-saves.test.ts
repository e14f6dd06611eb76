import { describe, expect, it } from 'vitest';
import { CoalescedSaves } from '../../src/audit/coalesced-saves.js';

/** The record's saves while a long run goes on: one at a time, those asked meanwhile joined, the newest state last. */
describe('coalesced saves of a long run', () => {
  it('joins the saves asked while one is under way into one, which writes the newest state, final if any was', async () => {
    let state = 'running 1';
    const written: { state: string; final: boolean }[] = [];
    let release!: () => void;
    const slow = new Promise<void>((resolve) => (release = resolve));
    let began!: () => void;
    const firstBegan = new Promise<void>((resolve) => (began = resolve));
    const saves = new CoalescedSaves(
      async (final) => {
        const asked = state;
        began();
        if (written.length === 0) await slow;
        written.push({ state: asked, final });
      },
      () => undefined,
    );
    saves.ask(false);
    await firstBegan;
    state = 'running 2';
    saves.ask(false);
    state = 'finished';
    saves.ask(true);
    saves.ask(false);
    release();
    await saves.last();
    expect(written).toEqual([
      { state: 'running 1', final: false },
      { state: 'finished', final: true },
    ]);
  });

  it('goes on after a failed save and reports it; settled never rejects, last does', async () => {
    const failures: unknown[] = [];
    let calls = 0;
    const saves = new CoalescedSaves(
      async () => {
        calls += 1;
        if (calls === 1) throw new Error('store down');
      },
      (error) => void failures.push(error),
    );
    saves.ask(false);
    await expect(saves.last()).rejects.toThrow('store down');
    saves.ask(true);
    await saves.settled();
    await expect(saves.last()).resolves.toBeUndefined();
    expect(calls).toBe(2);
    expect(failures).toHaveLength(1);
  });
});
