import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { commands } from '../../../src/slack/help/registry.js';
import { en } from '../../../src/slack/i18n/en.js';
import { zhCN } from '../../../src/slack/i18n/zh-cn.js';

type Manifest = { features: { slash_commands: { command: string; usage_hint?: string }[] } };
const manifestCommands = (file: string) =>
  (parse(readFileSync(new URL(`../../../${file}`, import.meta.url), 'utf8')) as Manifest).features.slash_commands.map((c) => c.command);

/**
 * The help answer is built from the registry: a command declared in the manifest but not registered would be missing
 * from it (and the other way round, help would offer a command Slack does not know).
 */
describe('the command registry', () => {
  it.each(['manifest.yml', 'manifest.socket-mode.yml'])('has exactly the commands %s declares', (file) => {
    expect([...new Set(commands.map((entry) => entry.name))].sort()).toEqual([...manifestCommands(file)].sort());
  });

  it('gives every line its usage and summary in both languages, the usage starting with the command', () => {
    for (const entry of commands) {
      for (const m of [en, zhCN]) {
        const { usage, summary } = entry.help(m);
        expect(usage.startsWith(`${entry.name} `) || usage === entry.name).toBe(true);
        expect(summary.trim()).not.toBe('');
      }
      expect(entry.examples.every((example) => example.startsWith(entry.name))).toBe(true);
    }
  });
});
