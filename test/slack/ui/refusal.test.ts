import { describe, expect, it } from 'vitest';
import type { Refusal } from '../../../src/policy/types.js';
import { renderRefusal } from '../../../src/slack/ui/refusal.js';
import { assertWithinBlockKitLimits } from '../block-kit-limits.js';
import { allText } from '../card-fixtures.js';

describe('renderRefusal', () => {
  const refusals: Refusal[] = [
    { reason: 'guest' },
    { reason: 'single_channel_guest' },
    { reason: 'bot' },
    { reason: 'deactivated' },
    { reason: 'unknown_person' },
    { reason: 'below_read_role', required: 'admin' },
    { reason: 'not_a_writer', required: 'owner', usergroups: ['S0EDITORS', 'S0OPS'] },
    { reason: 'not_a_writer', required: 'admin', usergroups: [] },
    { reason: 'tampered_submission' },
  ];

  it.each(refusals)('explains $reason in both languages', (refusal) => {
    for (const locale of ['en', 'zh-CN'] as const) {
      const message = renderRefusal(refusal, locale);
      assertWithinBlockKitLimits(message);
      expect(allText(message)).not.toContain('undefined');
    }
  });

  it('names the missing permission: the role, or the user groups, never pinging them', () => {
    const text = allText(renderRefusal({ reason: 'not_a_writer', required: 'owner', usergroups: ['S0EDITORS'] }, 'en'));
    expect(text).toContain(
      'Editing needs the Slack role *workspace owner* or higher, or membership of one of these user groups: `S0EDITORS`',
    );
    expect(text).not.toContain('<!subteam');
    expect(allText(renderRefusal({ reason: 'below_read_role', required: 'admin' }, 'en'))).toContain('*workspace admin*');
    expect(allText(renderRefusal({ reason: 'not_a_writer', required: 'admin', usergroups: [] }, 'zh-CN'))).toContain('*工作区管理员*');
  });

  it('names a user group by its handle when it is known, by id otherwise', () => {
    const refusal = { reason: 'not_a_writer', required: 'admin', usergroups: ['S0WRITERS', 'S0OPS'] } as const;
    const text = allText(renderRefusal(refusal, 'en', new Map([['S0WRITERS', 'im-writers']])));
    expect(text).toContain('one of these user groups: `@im-writers`, `S0OPS`.');
    expect(allText(renderRefusal(refusal, 'zh-CN', new Map([['S0OPS', '<!channel>']])))).toContain('`S0WRITERS`, `@&lt;!channel&gt;`');
  });
});
