import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { stepCatalog } from '../../src/simulator/step-catalog.js';

type Functions = Record<
  string,
  { title: string; input_parameters: { properties: Record<string, { type: string; title: string }>; required: string[] } }
>;
const manifest = parse(readFileSync(new URL('../../manifest.yml', import.meta.url), 'utf8')) as { functions: Functions };

describe("the simulator's Workflows panel", () => {
  it('offers exactly the steps manifest.yml declares, with their inputs (the acting person filled in by the panel)', () => {
    const declared = Object.entries(manifest.functions).map(([callbackId, step]) => ({
      callbackId,
      title: step.title,
      inputs: Object.entries(step.input_parameters.properties)
        .filter(([name]) => name !== 'user_context')
        .map(([name, input]) => ({ name, title: input.title, type: input.type, required: step.input_parameters.required.includes(name) })),
    }));
    expect(stepCatalog).toEqual(declared);
  });
});
