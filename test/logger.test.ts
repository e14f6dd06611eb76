import { afterEach, describe, expect, it } from 'vitest';
import { InputError } from '../src/errors.js';
import { NimTransportError } from '../src/nim/errors.js';
import { boltLogger, createLogger, lightChildren, REDACTED, type AppLogger } from '../src/logger.js';
import { startUpdateHarness, type UpdateHarness } from './slack/app/update-harness.js';

const APP_SECRET = 'nim-app-secret-5f1c2e9a';
const BOT_TOKEN = 'xoxb-1111-2222-abcdefABCDEF';
const APP_TOKEN = 'xapp-1-A0-333-feedbeef';
const SIGNING_SECRET = 'signing-secret-8e7d6c5b';
const CHECKSUM = '3f786850e387550fdab836ed7e6dc881de23001b';
const EMAIL = 'zhangwei@example.com';
const MOBILE = '13800138000';
const BIRTH = '1988-04-12';
const NEW_MOBILE = '+8613912345678';

function capture(level = 'trace') {
  const lines: string[] = [];
  const logger = createLogger(
    { level, secrets: [APP_SECRET, BOT_TOKEN, SIGNING_SECRET, APP_TOKEN] },
    { write: (line: string) => void lines.push(line) },
  );
  return { logger, lines };
}

const secretValues = [APP_SECRET, BOT_TOKEN, APP_TOKEN, SIGNING_SECRET, CHECKSUM];
const personalValues = [EMAIL, MOBILE, BIRTH, NEW_MOBILE];

function expectClean(output: string): void {
  for (const value of [...secretValues, ...personalValues]) expect(output).not.toContain(value);
}

describe('the production logger (createLogger)', () => {
  it("light children (lightChildren) write the same lines as pino's own children: bindings, redaction, errors, scrubbing", () => {
    const write = (log: AppLogger) => {
      const card = { accid: 'alice', email: EMAIL, mobile: MOBILE };
      const child = log.child({ correlationId: 'c0ffee123456', command: '/im-user' });
      child.info({ card, appSecret: APP_SECRET }, 'cards');
      child.warn(new Error(`failed with ${SIGNING_SECRET}`), 'an error first');
      child.error({ err: new NimTransportError('user/getUinfos.action', 'timeout') }, 'an error inside');
      child.info(`plain text with ${BOT_TOKEN}`);
      child.child({ auditId: 'a1' }).info({ found: [card] }, 'grandchild');
      child.debug({ card }, 'below the level: not written');
    };
    const pinoOwn = capture('info');
    const light = capture('info');
    write(pinoOwn.logger);
    write(lightChildren(light.logger));
    const comparable = (lines: string[]) =>
      lines.map((line) => {
        const { time: _time, err, ...rest } = JSON.parse(line) as Record<string, unknown> & { err?: { stack?: string } };
        // The stacks differ only in where the log call was made.
        return { ...rest, ...(err ? { err: { ...err, stack: err.stack?.split('\n')[0] } } : {}) };
      });
    expect(light.lines).toHaveLength(5);
    expect(comparable(light.lines)).toEqual(comparable(pinoOwn.lines));
    expectClean(light.lines.join(''));
  });

  it('redacts secrets and personal fields wherever they sit in a logged object', () => {
    const { logger, lines } = capture();
    const card = { accid: 'alice', name: 'Alice', email: EMAIL, mobile: MOBILE, birth: BIRTH };
    const log = logger.child({ correlationId: 'c0ffee123456', command: '/im-user' });
    log.info({ appSecret: APP_SECRET, AppSecret: APP_SECRET, CheckSum: CHECKSUM, checkSum: CHECKSUM }, 'top level');
    log.info(
      { headers: { AppKey: 'k', CheckSum: CHECKSUM, authorization: `Bearer ${BOT_TOKEN}`, 'x-slack-signature': 'v0=abc' } },
      'headers',
    );
    log.info({ req: { headers: { Authorization: `Bearer ${BOT_TOKEN}` } } }, 'request');
    log.info(
      { slack: { botToken: BOT_TOKEN, signingSecret: SIGNING_SECRET, appToken: APP_TOKEN }, nim: { secret: APP_SECRET } },
      'settings',
    );
    log.info({ card, lookup: { found: [card, { ...card, accid: 'bob' }] }, found: [card] }, 'cards');
    log.info({ changes: { email: { before: EMAIL, after: 'new@example.com' }, mobile: { before: MOBILE, after: NEW_MOBILE } } }, 'changes');
    log.info({ intent: { changes: { birth: { before: BIRTH, after: '1990-01-01' } } } }, 'nested changes');
    log.info({ err: { original: { config: { headers: { Authorization: `Bearer ${BOT_TOKEN}` } } } } }, 'web api error');

    const output = lines.join('');
    expectClean(output);
    expect(output).not.toContain('new@example.com');
    expect(output).not.toContain('1990-01-01');
    for (const line of lines) {
      const parsed = JSON.parse(line) as Record<string, unknown>;
      expect(parsed).toMatchObject({ correlationId: 'c0ffee123456', command: '/im-user' });
    }
    const cards = JSON.parse(lines[4]!) as { card: Record<string, unknown>; lookup: { found: Record<string, unknown>[] } };
    expect(cards.card).toEqual({ accid: 'alice', name: 'Alice', email: REDACTED, mobile: REDACTED, birth: REDACTED });
    expect(cards.lookup.found[1]).toMatchObject({ accid: 'bob', email: REDACTED });
    expect(JSON.parse(lines[1]!)).toMatchObject({ headers: { AppKey: 'k', CheckSum: REDACTED, authorization: REDACTED } });
  });

  it('scrubs Slack tokens and the configured secrets out of messages and errors, and typed personal values out of input errors', () => {
    const { logger, lines } = capture();
    logger.warn(`token ${BOT_TOKEN} and ${APP_TOKEN} in a message, secret ${APP_SECRET}`);
    logger.error({ err: new Error(`request failed with ${SIGNING_SECRET} and xoxp-9999-abc`) }, 'failed');
    logger.warn({ err: new InputError('mobile', 'at most 32 characters', NEW_MOBILE) }, 'bad mobile');
    logger.warn({ err: new InputError('email', 'not an email address', EMAIL) }, 'bad email');
    logger.warn({ err: new NimTransportError('user/getUinfos.action', 'timeout') }, 'timeout');

    const output = lines.join('');
    expectClean(output);
    expect(output).not.toContain('xoxp-9999-abc');
    const parsed = lines.map((line) => JSON.parse(line) as { msg: string; err?: { message: string; type: string } });
    expect(parsed[0]!.msg).toBe(`token ${REDACTED} and ${REDACTED} in a message, secret ${REDACTED}`);
    expect(parsed[2]!.err).toMatchObject({ type: 'InputError', message: 'mobile: at most 32 characters' });
    expect(parsed[4]!.err).toMatchObject({ type: 'NimTransportError' });
  });

  it("gives Bolt's lines the same treatment: objects go to `details`, where redaction applies", () => {
    const { logger, lines } = capture('debug');
    const bolt = boltLogger(logger);
    bolt.debug('http request body:', { token: BOT_TOKEN, channel: 'C1', user: { email: EMAIL } });
    bolt.error('An API error occurred:', new Error(`invalid_auth for ${BOT_TOKEN}`));
    bolt.info(`plain ${APP_TOKEN}`);
    const output = lines.join('');
    expectClean(output);
    const first = JSON.parse(lines[0]!) as Record<string, unknown>;
    expect(first).toMatchObject({
      component: 'bolt',
      msg: 'http request body:',
      details: [{ token: REDACTED, channel: 'C1', user: { email: REDACTED } }],
    });
  });
});

describe('log lines of real commands (over HTTP, production logger config)', () => {
  let u: (UpdateHarness & { removeDir(): Promise<void> }) | undefined;
  afterEach(async () => {
    await u?.close();
    await u?.removeDir();
    u = undefined;
  });

  it('are JSON with a correlation id, and never hold the secrets or the personal fields shown or changed', async () => {
    const logLines: string[] = [];
    u = await startUpdateHarness({ logLines });
    const card = u.emulator.getUser('alice')!;
    const personal = [card.email, card.mobile, card.birth].filter((value): value is string => typeof value === 'string' && value !== '');
    expect(personal.length).toBeGreaterThan(0);

    // A writer sees alice's card in full; a member is refused an update; a NetEase failure is logged in detail.
    const shown = await u.command('/im-user', 'alice', 'U0ADMIN');
    const answer = JSON.stringify((await u.answer(shown.responseId, 15_000)).body);
    for (const value of personal) expect(answer).toContain(value);
    const refused = await u.command('/qchat-nick', '1513535 alice Sneaky', 'U0MEMBER');
    await u.answer(refused.responseId, 15_000);
    u.emulator.injectFault('user/getUinfos.action', { kind: 'malformed_json' });
    const failed = await u.command('/im-user', 'alice', 'U0ADMIN');
    await u.answer(failed.responseId, 15_000);
    // The failure's log line is written after its answer: wait for it before looking for what must not be logged.
    await expect.poll(() => logLines.some((line) => line.includes('"lookup failed"')), { timeout: 15_000 }).toBe(true);

    const output = logLines.join('');
    expect(logLines.length).toBeGreaterThan(3);
    for (const value of [...personal, 'demo-app-secret', u.signer.signingSecret, u.slack.botToken]) expect(output).not.toContain(value);
    const parsed = logLines.map((line) => JSON.parse(line) as Record<string, unknown>);
    const commandLines = parsed.filter((line) => typeof line.command === 'string');
    expect(commandLines.map((line) => line.msg)).toEqual(expect.arrayContaining(['lookup answered', 'refused', 'lookup failed']));
    for (const line of commandLines) expect(line.correlationId).toMatch(/^[0-9a-f]{12}$/);
    expect(new Set(commandLines.map((line) => line.correlationId)).size).toBe(3);
  });
});
