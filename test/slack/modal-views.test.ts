import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.js';
import { cardChangeProblems, serverMemberProblems } from '../../src/nim/validate.js';
import { messages, type Locale } from '../../src/slack/i18n/catalog.js';
import { changedFields } from '../../src/slack/edit-card/card-changes.js';
import { loadingView, noticeView } from '../../src/slack/ui/modal.js';
import { editCardView } from '../../src/slack/edit-card/view.js';
import { metadataKey, valueDigest } from '../../src/slack/interaction/sealed-metadata.js';
import { qchatNickView } from '../../src/slack/qchat/qchat-nick-view.js';
import { fieldErrors } from '../../src/slack/interaction/submitted.js';

const locales: Locale[] = ['en', 'zh-CN'];
const card = {
  accid: 'alice',
  name: '<!channel> *Alice*',
  icon: 'https://example.com/a.png',
  email: 'alice@example.com',
  mobile: '+1-4155550123',
  birth: '1992-11-03',
  gender: 2,
  ex: '{"a":1}',
};

type Block = { type: string; block_id?: string; element?: Record<string, unknown>; hint?: { text: string }; label?: { text: string } };

describe('modal views', () => {
  it.each(locales)('fit Slack’s modal limits (%s)', (locale) => {
    const views = [
      loadingView(locale),
      noticeView(locale, 'refused', { text: 't', blocks: [] }),
      editCardView({ card, locale, privateMetadata: 'm' }),
      qchatNickView({ prefill: { serverId: '1' }, locale, privateMetadata: 'm' }),
    ];
    for (const view of views) {
      expect(view.title.text.length).toBeLessThanOrEqual(24);
      for (const button of [view.submit, view.close]) if (button) expect(button.text.length).toBeLessThanOrEqual(24);
      expect(view.blocks.length).toBeLessThanOrEqual(100);
    }
  });

  it('prefills the edit form with the card as typed text, never as mrkdwn', () => {
    const view = editCardView({ card, locale: 'en', privateMetadata: 'sealed' });
    const blocks = view.blocks as Block[];
    const input = (id: string) => blocks.find((block) => block.block_id === id)!;
    expect(input('name').element).toMatchObject({ type: 'plain_text_input', initial_value: '<!channel> *Alice*' });
    expect(input('gender').element).toMatchObject({ type: 'static_select', initial_option: { value: '2' } });
    expect(input('ex').element).toMatchObject({ multiline: true });
    expect(input('sign').element).not.toHaveProperty('initial_value');
    expect(input('icon').hint!.text).toBe('Up to 1024 bytes (UTF-8). Empty the field to clear it on the card.');
    expect(view.private_metadata).toBe('sealed');
    const intro = JSON.stringify(blocks[0]);
    expect(intro).not.toContain('<!channel>');
  });

  it('says in Chinese under the field what the limit is', () => {
    const problems = [
      ...cardChangeProblems({ name: 'n'.repeat(65), gender: 3 as 0 }),
      ...serverMemberProblems({ serverId: 'x', accid: 'bad id!' }),
    ];
    const errors = fieldErrors(messages('zh-CN'), problems, ['name', 'gender', 'serverId', 'accid'], 'name');
    expect(errors).toEqual({
      name: '最多 64 个字符（当前 65 个）。',
      gender: '请选择：未设置、男或女。',
      serverId: '必须是 1 到 18446744073709551615 之间的整数，只能包含数字。',
      accid: '账号 ID 只能包含字母、数字和 _ @ . -。',
    });
  });

  it('puts a problem of a field without an input under the fallback block', () => {
    expect(fieldErrors(messages('en'), [new InputError('bid', 'is odd')], ['name'], 'name')).toEqual({ name: 'is odd' });
  });
});

describe('which fields the person changed', () => {
  const key = metadataKey('k');
  const prefill = {
    name: valueDigest(key, 'Alice'),
    icon: valueDigest(key, ''),
    sign: valueDigest(key, 'hi'),
    email: valueDigest(key, 'a@example.com'),
    birth: valueDigest(key, ''),
    mobile: valueDigest(key, ''),
    gender: valueDigest(key, '2'),
    ex: valueDigest(key, ''),
  };
  const text = (value: string | null) => ({ value: { type: 'plain_text_input', value } });

  it('sends only changed fields; an emptied field clears, an untouched empty one is not sent', () => {
    const values = {
      name: text('Alice'),
      icon: text(null),
      sign: text(null),
      email: text('b@example.com'),
      gender: { value: { type: 'static_select', selected_option: { value: '1' } } },
    };
    expect(changedFields(key, prefill, values)).toEqual({ changes: { sign: '', email: 'b@example.com', gender: 1 }, problems: [] });
  });

  it('names a forged gender option', () => {
    const values = { gender: { value: { type: 'static_select', selected_option: { value: '3' } } } };
    const { problems } = changedFields(key, prefill, values);
    expect(problems.map((problem) => problem.field)).toEqual(['gender']);
  });
});
