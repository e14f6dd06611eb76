/**
 * Runs the sends for one key one after another. A modal's progress updates are sent without waiting; sent side by
 * side, a slow "917 of 1000" could reach Slack after "Finished" and stay on screen for good.
 */
export function oneAtATime(): (key: string, send: () => Promise<unknown>) => void {
  const tails = new Map<string, Promise<unknown>>();
  return (key, send) => {
    const tail = (tails.get(key) ?? Promise.resolve()).then(send);
    tails.set(key, tail);
    void tail.finally(() => {
      if (tails.get(key) === tail) tails.delete(key);
    });
  };
}
