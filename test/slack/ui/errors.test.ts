import { describe, expect, it } from 'vitest';
import { InputError } from '../../../src/errors.js';
import { NimApiError, NimAuthError, NimRateLimitedError, NimTransportError, NimWriteUnconfirmedError } from '../../../src/nim/errors.js';
import { renderError } from '../../../src/slack/ui/errors.js';
import { assertWithinBlockKitLimits } from '../block-kit-limits.js';
import { LIVE_MARKUP, allText, parsedTexts } from '../card-fixtures.js';

const en = { locale: 'en' as const, correlationId: 'req-42' };
const render = (error: unknown, input: { locale: 'en' | 'zh-CN'; correlationId?: string } = en) => {
  const message = renderError(error, input);
  assertWithinBlockKitLimits(message);
  return { message, text: allText(message) };
};

describe('renderError', () => {
  it('says what to do when rate limited, with the seconds to wait', () => {
    const { message } = render(new NimRateLimitedError('/user/getUinfos.action', 7_200));
    expect(message.text).toContain('Try again in 8 s');
  });

  it('tells the person the app credentials were rejected, without any of the secret-looking detail', () => {
    const error = new NimAuthError(
      '/user/getUinfos.action',
      414,
      'checksum mismatch CheckSum=48e40888a1fca6cecbc8b23b4b17a1979452091b AppSecret',
    );
    const { text } = render(error);
    expect(text).toContain("The app's NetEase credentials were rejected (code 414)");
    expect(text).toContain('tell whoever runs this app');
    expect(text).not.toMatch(/checksum|AppSecret|48e40888|[0-9a-f]{32}/i);
  });

  it.each([
    ['timeout', undefined, 'no answer in time'],
    ['connection', undefined, 'connection failed'],
    ['http_status', 502, 'HTTP 502'],
    ['malformed_response', undefined, 'could not be read'],
  ] as const)('calls a %s NetEase unavailable', (failure, status, words) => {
    const { text } = render(new NimTransportError('/user/getUinfos.action', failure, status));
    expect(text).toContain('NetEase could not be reached');
    expect(text).toContain(words);
  });

  it.each([
    [404, 'does not exist (code 404: `desc`)'],
    [403, 'refused the operation (code 403)'],
    [405, 'too long (code 405)'],
    [417, 'already done (code 417)'],
    [419, 'quantity limit was reached (code 419)'],
    [431, 'repeat (code 431)'],
    [500, 'busy or failing (code 500)'],
    [514, 'busy or failing (code 514)'],
    [999, 'refused the request (code 999)'],
  ])('explains NetEase code %i', (code, words) => {
    expect(render(new NimApiError('/user/updateUinfo.action', code, 'desc')).text).toContain(words);
  });

  it("quotes NetEase's desc for a parameter error, escaped", () => {
    const { message, text } = render(new NimApiError('/user/getUinfos.action', 414, 'limit max accids size: 200 <!channel>'));
    expect(text).toContain('rejected a parameter (code 414): `limit max accids size: 200 &lt;!channel&gt;`');
    expect(parsedTexts(message)).not.toMatch(LIVE_MARKUP);
  });

  it("quotes NetEase's desc for a 404, escaped, in both languages, and says nothing of it when there is none", () => {
    const { message, text } = render(new NimApiError('/qchat/updateServerMember.action', 404, 'server member <!here> not exist'));
    expect(text).toContain('does not exist (code 404: `server member &lt;!here&gt; not exist`)');
    expect(parsedTexts(message)).not.toMatch(LIVE_MARKUP);
    expect(renderError(new NimApiError('/x', 404, 'server not exist'), { locale: 'zh-CN' }).text).toContain(
      '（错误码 404：`server not exist`）',
    );
    expect(render(new NimApiError('/x', 404, '')).text).toContain('does not exist (code 404).');
  });

  it('separates a change proven not applied from one that could not be verified', () => {
    const cause = new NimTransportError('/user/updateUinfo.action', 'timeout');
    expect(render(new NimWriteUnconfirmedError('/user/updateUinfo.action', false, { cause })).text).toContain('*not* in place');
    expect(render(new NimWriteUnconfirmedError('/user/updateUinfo.action', 'unknown', { cause })).text).toContain(
      'could not check whether the change was applied',
    );
  });

  it('names the field and the rule of an input error, and every problem at once', () => {
    const { text } = render([
      new InputError('name', 'at most 64 characters (this is 70)', 'x'.repeat(70)),
      new InputError('email', 'must be text'),
    ]);
    expect(text).toContain('*Nickname* at most 64 characters (this is 70)');
    expect(text).toContain('*Email* must be text');
    expect(text).toContain('Please check what you typed');
    expect(render(new InputError('serverId', 'must be a whole number')).text).toContain('*QChat server ID* must be a whole number');
  });

  it('escapes what the person typed in an input error', () => {
    const { message } = render(new InputError('name', 'too long', '<!channel>'));
    expect(parsedTexts(message)).not.toMatch(LIVE_MARKUP);
  });

  it('gives unknown errors a reference and nothing of their message or stack', () => {
    const error = new Error('db password=hunter2 at /srv/app.js:10');
    const { message, text } = render(error);
    expect(text).toContain('Something went wrong (reference req-42)');
    expect(text).not.toMatch(/hunter2|app\.js|\bat \//);
    expect(message.text.length).toBeGreaterThan(0);
    expect(render('a string', { locale: 'en' }).text).toContain('Something went wrong.');
  });

  it('adds the reference to NetEase errors too', () => {
    expect(render(new NimApiError('/x', 404, '')).text).toContain('Reference: req-42');
  });

  it('speaks Simplified Chinese for zh-CN', () => {
    expect(render(new NimRateLimitedError('/x', 10_000), { locale: 'zh-CN' }).message.text).toContain('请在 10 秒后重试');
    expect(render(new NimAuthError('/x', 414, 'checksum'), { locale: 'zh-CN' }).text).toContain('凭据被拒绝（错误码 414）');
    expect(render(new InputError('name', 'x'), { locale: 'zh-CN' }).text).toContain('*昵称*');
  });
});
