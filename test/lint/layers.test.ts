import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { ESLint } from 'eslint';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { layerRules } from '../../eslint/layers.js';

/**
 * The layer rules `npm run lint` enforces (eslint/layers.js), run through ESLint's Node API on a small fixture tree
 * in a temporary directory: each rule fires on what it forbids and stays quiet on what the architecture allows.
 */

const fixtures: Record<string, string> = {
  // A core file reaching into the Slack side.
  'src/policy/leaky.ts': "import { messages } from '../slack/i18n/catalog.js';\nexport const m = messages;\n",
  'src/policy/clean.ts': "import { limit } from '../nim/limits.js';\nexport const l = limit;\n",
  'src/nim/limits.ts': 'export const limit = 1;\n',
  'src/slack/i18n/catalog.ts': 'export const messages = {};\n',
  // The process layer may import anything.
  'src/compose.ts': "import { register } from './slack/lookup/register.js';\nexport const r = register;\n",
  // A feature importing another feature, and one importing only shared parts and the core.
  'src/slack/lookup/register.ts': "import { report } from '../moderation/report.js';\nexport const register = report;\n",
  'src/slack/moderation/report.ts':
    "import { text } from '../ui/text.js';\nimport { ids } from '../ids.js';\nimport { reply } from '../interaction/reply.js';\nimport { limit } from '../../nim/limits.js';\nexport const report = [text, ids, reply, limit];\n",
  'src/slack/ui/text.ts': 'export const text = 1;\n',
  'src/slack/ids.ts': 'export const ids = 1;\n',
  'src/slack/interaction/reply.ts': 'export const reply = 1;\n',
  // A cycle held only by type imports.
  'src/audit/a.ts': "import type { B } from './b.js';\nexport type A = { b?: B };\n",
  'src/audit/b.ts': "import type { A } from './a.js';\nexport type B = { a?: A };\n",
};

let root: string;
let eslint: ESLint;

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'layers-'));
  for (const [path, text] of Object.entries(fixtures)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  eslint = new ESLint({ cwd: root, overrideConfigFile: true, overrideConfig: layerRules(root) });
});

afterAll(() => rmSync(root, { recursive: true, force: true }));

async function problems(path: string): Promise<{ rule: string | null; line: number }[]> {
  const [result] = await eslint.lintFiles([join(root, path)]);
  return result!.messages.map((message) => ({ rule: message.ruleId, line: message.line }));
}

describe('npm run lint: the layers', () => {
  it('fails a core file that imports src/slack/', async () => {
    expect(await problems('src/policy/leaky.ts')).toEqual([{ rule: 'import-x/no-restricted-paths', line: 1 }]);
    expect(await problems('src/policy/clean.ts')).toEqual([]);
  });

  it('lets the process layer (compose.ts) import the Slack side', async () => {
    expect(await problems('src/compose.ts')).toEqual([]);
  });

  it('fails a feature folder that imports another feature, not one that imports interaction/, ui/, ids.ts and the core', async () => {
    expect(await problems('src/slack/lookup/register.ts')).toEqual([{ rule: 'import-x/no-restricted-paths', line: 1 }]);
    expect(await problems('src/slack/moderation/report.ts')).toEqual([]);
  });

  it('fails an import cycle held only by type-only imports, on both files', async () => {
    expect(await problems('src/audit/a.ts')).toEqual([{ rule: 'layers/no-import-cycle', line: 1 }]);
    expect(await problems('src/audit/b.ts')).toEqual([{ rule: 'layers/no-import-cycle', line: 1 }]);
  });
});
