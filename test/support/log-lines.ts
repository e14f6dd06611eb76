import type { DestinationStream } from 'pino';

/** A pino destination that keeps the parsed lines, for asserting what the app logged. */
export function logLines(): DestinationStream & { lines: Record<string, unknown>[]; messages(): string[] } {
  const lines: Record<string, unknown>[] = [];
  return {
    lines,
    write(line: string) {
      lines.push(JSON.parse(line) as Record<string, unknown>);
    },
    messages: () => lines.map((line) => String(line.msg)),
  };
}
