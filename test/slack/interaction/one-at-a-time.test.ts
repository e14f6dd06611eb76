import { expect, it } from 'vitest';
import { oneAtATime } from '../../../src/slack/interaction/one-at-a-time.js';

const later = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

it('sends for one modal in the order given, a slow earlier update before the last one', async () => {
  const inOrder = oneAtATime();
  const arrived: string[] = [];
  inOrder('V1', () => later(60).then(() => arrived.push('917 of 1000')));
  inOrder('V1', () => later(1).then(() => arrived.push('Finished')));
  await later(120);
  expect(arrived).toEqual(['917 of 1000', 'Finished']);
});

it('does not hold one modal behind another', async () => {
  const inOrder = oneAtATime();
  const arrived: string[] = [];
  inOrder('V1', () => later(60).then(() => arrived.push('V1')));
  inOrder('V2', () => later(1).then(() => arrived.push('V2')));
  await later(120);
  expect(arrived).toEqual(['V2', 'V1']);
});
