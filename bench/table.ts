/** One row of `npm run bench`: a figure, its target, and whether it met it. */
export type BenchRow = {
  name: string;
  value: string;
  target: string;
  pass: boolean;
};

/** A plain-text table, for the terminal and for pasting into the README. */
export function formatTable(rows: readonly BenchRow[]): string {
  const header = ['measure', 'value', 'target', 'result'];
  const lines = rows.map((row) => [row.name, row.value, row.target, row.pass ? 'pass' : 'FAIL']);
  const widths = header.map((title, column) => Math.max(title.length, ...lines.map((line) => line[column]!.length)));
  const render = (cells: string[]) => `| ${cells.map((cell, column) => cell.padEnd(widths[column]!)).join(' | ')} |`;
  return [render(header), `|${widths.map((width) => '-'.repeat(width + 2)).join('|')}|`, ...lines.map(render)].join('\n');
}

/** The p-th percentile (0–100) of `values`, nearest-rank. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}
