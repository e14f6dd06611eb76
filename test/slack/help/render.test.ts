import { describe, expect, it } from 'vitest';
import { defaultAccess, type Config } from '../../../src/config.js';
import { commands } from '../../../src/slack/help/registry.js';
import { permissionText } from '../../../src/slack/help/permission.js';
import { renderHelp, type HelpInput } from '../../../src/slack/help/render.js';
import { en } from '../../../src/slack/i18n/en.js';
import { assertWithinBlockKitLimits } from '../block-kit-limits.js';
import { allText } from '../card-fixtures.js';

const access: Config['access'] = defaultAccess;
/** Placeholders are escaped for mrkdwn (Slack shows `&lt;` as `<`). */
const help = (input: Partial<HelpInput> = {}) =>
  renderHelp({ command: '/im-user', locale: 'en', access, handles: new Map(), writeEnabled: true, ...input });

describe('the help answer', () => {
  it.each([...new Set(commands.map((entry) => entry.name))])('after %s starts with that command, in both languages', (command) => {
    for (const locale of ['en', 'zh-CN'] as const) {
      const message = help({ command, locale });
      assertWithinBlockKitLimits(message);
      expect(message.blocks[0]).toMatchObject({ type: 'header' });
      expect(JSON.stringify(message.blocks.slice(0, 3))).toContain(`${command} `);
    }
  });

  it('names every command of the registry with what it needs, in English and Chinese', () => {
    const en = allText(help());
    expect(en).toContain('`/im-user &lt;account ID…&gt;`');
    expect(en).toContain('`/im-user edit &lt;account ID&gt;`');
    expect(en).toContain('`/im-mute-status &lt;account ID…&gt;`');
    expect(en).toContain('`/qchat-nick &lt;server ID&gt; &lt;account ID&gt; &lt;nickname&gt;`');
    expect(en).toContain('Needs a full member account of this workspace (guests cannot use im-admin).');
    expect(en).toContain('Needs the Slack role *workspace admin* or higher.');
    const zh = allText(help({ locale: 'zh-CN' }));
    expect(zh).toContain('`/qchat-nick &lt;服务器 ID&gt; &lt;账号 ID&gt; &lt;昵称&gt;`');
    expect(zh).toContain('需要：Slack 角色 *工作区管理员* 或更高。');
    expect(zh).not.toContain('Needs');
  });

  it("says this deployment's permissions: a higher read role, writer groups by handle, listed people", () => {
    const text = allText(
      help({
        access: {
          ...defaultAccess,
          readMinRole: 'admin',
          writeMinRole: 'owner',
          writeUsergroups: ['S0WRITERS', 'S0OPS'],
          writeUsers: ['U1'],
        },
        handles: new Map([['S0WRITERS', 'im-writers']]),
      }),
    );
    expect(text).toContain('Needs the Slack role *workspace admin* or higher.');
    expect(text).toContain(
      'Needs the Slack role *workspace owner* or higher, or membership of one of these user groups: `@im-writers`, `S0OPS`, or being named by whoever runs this app.',
    );
    expect(text).not.toContain('<!subteam');
  });

  it('leaves out what changes things when the app runs without an audit trail', () => {
    const text = allText(help({ writeEnabled: false }));
    expect(text).toContain('/im-mute-status &lt;account ID…&gt;');
    expect(text).not.toContain('/qchat-nick &lt;server ID&gt;');
    expect(text).not.toContain('/im-user edit &lt;account ID&gt;');
    expect(text).not.toContain('/im-user edit alice');
  });

  it('shows the examples of every part of the command asked about', () => {
    const text = allText(help({ command: '/im-user' }));
    expect(text).toContain('/im-user alice bob, carol');
    expect(text).toContain('/im-user edit alice');
    expect(allText(help({ command: '/im-user' }))).toContain('spaces, commas or new lines');
    expect(allText(help({ command: '/im-user', locale: 'zh-CN' }))).toContain('空格、逗号或换行');
  });
});

describe('permissionText', () => {
  it('says the moderating permission from the IM_MODERATE_* settings, groups by handle', () => {
    const text = permissionText(
      en,
      'moderate',
      { ...access, moderateMinRole: 'owner', moderateUsergroups: ['S0MODS'], moderateUsers: [] },
      new Map([['S0MODS', 'im-moderators']]),
    );
    expect(text).toBe('the Slack role *workspace owner* or higher, or membership of one of these user groups: `@im-moderators`');
  });
});
