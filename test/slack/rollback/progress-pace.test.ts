import { describe, expect, it } from 'vitest';
import { progressPace } from '../../../src/slack/rollback/progress-pace.js';

describe('rollback progress in the modal', () => {
  it('is redrawn at most every 2 s, and not for the last item (the report follows)', () => {
    const clock = { now: 0 };
    const due = progressPace(() => clock.now, 2000);
    const drawn: number[] = [];
    for (let settled = 1; settled <= 10; settled++) {
      clock.now += 700;
      if (due(settled, 10)) drawn.push(settled);
    }
    // 700 ms apart: the first, then each one at least 2 s after the last drawn.
    expect(drawn).toEqual([1, 4, 7]);
  });
});
