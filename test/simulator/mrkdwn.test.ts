import { describe, expect, it } from 'vitest';
import { mrkdwnToNodes } from '../../src/simulator/render/mrkdwn.js';
import { textOf, type ElementNode, type ViewNode } from '../../src/simulator/render/view-node.js';

const people: Record<string, string> = { U0ADMIN: 'Ada Admin' };
const render = (source: string) =>
  mrkdwnToNodes(source, { userName: (id) => people[id], channelName: (id) => (id === 'C0AUDIT' ? 'im-admin-audit' : undefined) });

/** Every element in a tree, depth first. */
function elements(nodes: readonly ViewNode[]): ElementNode[] {
  return nodes.flatMap((node) => ('text' in node ? [] : [node, ...elements(node.children ?? [])]));
}

describe('mrkdwn as the simulator shows it', () => {
  it('shows an escaped hostile nickname as the literal text, not a mention', () => {
    const nodes = render('*&lt;!channel&gt;* and &lt;@U0ADMIN&gt; &amp; co');
    expect(textOf(nodes)).toBe('<!channel> and <@U0ADMIN> & co');
    expect(elements(nodes).some((node) => node.attrs?.class?.includes('sim-mention'))).toBe(false);
  });

  it('shows a real <!channel> control sequence as a broadcast mention', () => {
    const nodes = render('heads up <!channel>');
    expect(textOf(nodes)).toBe('heads up @channel');
    expect(elements(nodes).find((node) => node.attrs?.class === 'sim-mention sim-broadcast')).toBeDefined();
  });

  it('shows user and channel mentions by name', () => {
    expect(textOf(render('by <@U0ADMIN> in <#C0AUDIT>'))).toBe('by @Ada Admin in #im-admin-audit');
    expect(textOf(render('<@U0NOBODY|someone>'))).toBe('@someone');
  });

  it('makes links only of http(s) URLs, and keeps the label', () => {
    const [link] = elements(render('see <https://example.com/a?b=1&amp;c=2|the docs>'));
    expect(link).toMatchObject({ tag: 'a', attrs: { href: 'https://example.com/a?b=1&c=2' } });
    expect(textOf(link!.children!)).toBe('the docs');
    const hostile = render('<javascript:alert(1)|click>');
    expect(elements(hostile).some((node) => node.tag === 'a')).toBe(false);
    expect(textOf(hostile)).toBe('click');
  });

  it('shows a link written inside escaped text as text (what a signature with a fake link looks like)', () => {
    const nodes = render('Free prizes: &lt;https://evil.example|click&gt; here');
    expect(textOf(nodes)).toBe('Free prizes: <https://evil.example|click> here');
    expect(elements(nodes).some((node) => node.tag === 'a')).toBe(false);
  });

  it('formats bold, italics, strike-through, code and code blocks', () => {
    const tags = (source: string) => elements(render(source)).map((node) => node.tag);
    expect(tags('*Nickname* _was_ ~old~ `alice`')).toEqual(['strong', 'em', 's', 'code']);
    expect(tags('```line 1\nline 2```')).toEqual(['pre']);
    expect(textOf(render('`*not bold*`'))).toBe('*not bold*');
    expect(tags('`*not bold*`')).toEqual(['code']);
  });

  it('does not format inside words (user_card.edit stays as typed)', () => {
    expect(elements(render('action user_card.edit_me and 2*3*4'))).toEqual([]);
  });

  it('formats around mentions and keeps line breaks and quotes', () => {
    expect(elements(render('*<@U0ADMIN>*')).map((node) => node.tag)).toEqual(['strong', 'span']);
    expect(elements(render('one\ntwo')).map((node) => node.tag)).toEqual(['br']);
    expect(elements(render('&gt; quoted\nplain')).map((node) => node.tag)).toContain('blockquote');
  });

  it('draws the emoji the app uses and leaves unknown shortcodes alone', () => {
    const nodes = render(':white_check_mark: Not muted :not_an_emoji:');
    expect(elements(nodes)[0]).toMatchObject({ tag: 'span', attrs: { title: ':white_check_mark:' } });
    expect(textOf(nodes)).toContain(':not_an_emoji:');
  });

  it('cannot be tricked by private-use characters into expanding a placeholder', () => {
    expect(textOf(render('a\uE0000\uE001b <@U0ADMIN>'))).toBe('a\uFFFD0\uFFFDb @Ada Admin');
  });
});
