/** Reading GET /metrics in tests: fetch the exposition and pick samples by name and labels. */

export type Scrape = { status: number; contentType: string; text: string };

export async function scrape(appUrl: string): Promise<Scrape> {
  const response = await fetch(`${appUrl}/metrics`);
  return { status: response.status, contentType: response.headers.get('content-type') ?? '', text: await response.text() };
}

/** The value of the sample `name{labels…}` (labels matched exactly, in any order), or undefined when absent. */
export function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split('\n')) {
    if (line.startsWith('#') || line.trim() === '') continue;
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const found: Record<string, string> = {};
    for (const pair of (match[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) found[pair[1]!] = pair[2]!;
    const keys = Object.keys(labels);
    if (keys.length !== Object.keys(found).length || keys.some((key) => found[key] !== labels[key])) continue;
    return Number(match[3]);
  }
  return undefined;
}

/** Scrapes until `ready` holds for the text (a command is counted just after its answer is sent). */
export async function scrapeUntil(appUrl: string, ready: (text: string) => boolean, timeoutMs = 5000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { text } = await scrape(appUrl);
    if (ready(text) || Date.now() > deadline) return text;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
