/**
 * Whether progress should be redrawn now: at most once every `everyMs` (views.update is rate limited per view), and
 * never for the last item (the report replaces the progress then).
 */
export function progressPace(now: () => number, everyMs: number): (settled: number, total: number) => boolean {
  let shownAt = Number.NEGATIVE_INFINITY;
  return (settled, total) => {
    if (settled === total || now() - shownAt < everyMs) return false;
    shownAt = now();
    return true;
  };
}
