import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { visibleText } from '../../support/app-harness.js';
import { startUpdateHarness, type UpdateHarness } from './update-harness.js';

type Manifest = { features: { slash_commands: { command: string }[] } };
const declared = (parse(readFileSync(new URL('../../../manifest.yml', import.meta.url), 'utf8')) as Manifest).features.slash_commands.map(
  (c) => c.command,
);

/**
 * `help` after any command answers with every command the manifest declares and what each needs. A command added to
 * the manifest without registering its help (src/slack/help/registry.ts), or without answering `help`, fails here.
 */
describe('help, through the running app', () => {
  let h: UpdateHarness & { removeDir(): Promise<void> };
  afterEach(async () => {
    await h.close();
    await h.removeDir();
  });

  it.each(declared)('%s help names every declared command, each with the permission it needs', async (command) => {
    h = await startUpdateHarness({ access: { writeUsergroups: ['S0WRITERS'] }, usergroups: { S0WRITERS: ['U0MEMBER'] } });
    h.slack.setUsergroup('S0WRITERS', ['U0MEMBER'], 'im-writers');
    const { responseId } = await h.command(command, 'help', 'U0ADMIN');
    const { body } = await h.answer(responseId, 15_000);
    expect(body.response_type).toBe('ephemeral');
    const text = visibleText(body);
    for (const other of declared) expect(text).toContain(`\`${other}`);
    expect(text).toContain('Needs a full member account of this workspace');
    expect(text).toContain('Needs the Slack role *workspace admin* or higher, or membership of one of these user groups: `@im-writers`.');
    expect(h.emulator.count()).toBe(0);
  });

  it('answers in Chinese, asks Slack for the group names once, and names the group by id when Slack cannot list them', async () => {
    h = await startUpdateHarness({ access: { writeUsergroups: ['S0WRITERS'] }, usergroups: { S0WRITERS: [] } });
    h.slack.setUsergroup('S0WRITERS', [], 'im-writers');
    for (const command of declared) {
      const { responseId } = await h.command(command, 'help', 'U0ZH');
      expect(visibleText((await h.answer(responseId, 15_000)).body)).toContain('或属于以下用户组之一：`@im-writers`');
    }
    expect(h.slack.calls('usergroups.list')).toHaveLength(1);

    await h.close();
    await h.removeDir();
    h = await startUpdateHarness({ access: { writeUsergroups: ['S0WRITERS'] }, usergroups: { S0WRITERS: [] } });
    h.slack.fail('usergroups.list', 'ratelimited');
    const { responseId } = await h.command('/im-user', 'help');
    expect(visibleText((await h.answer(responseId, 15_000)).body)).toContain('membership of one of these user groups: `S0WRITERS`');
  });
});
