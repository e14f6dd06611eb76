import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, expect, it } from 'vitest';
import { LOCAL_CHANNEL } from '../../src/local-mode.js';
import { startServer, type RunningServer } from '../../src/main.js';
import { describeNeeding } from '../support/prerequisites.js';
import { chromiumMissing, launchChromium, screenshot } from './browser.js';
import { SimPage } from './sim-page.js';

/**
 * What a new user hit in local mode (issue 14, items 1–4), in a real browser against `startServer` with no settings.
 * One server and browser for the file; each test has its own page (a fresh browser context), so none sees another's
 * composer, modal or scroll position.
 */
describeNeeding('chromium', chromiumMissing)('local mode in a browser: first use', () => {
  let server: RunningServer;
  let browser: Browser;
  let context: BrowserContext;
  let sim: SimPage;
  let auditDir: string;
  let pageUrl: string;

  beforeAll(async () => {
    auditDir = mkdtempSync(join(tmpdir(), 'im-admin-e2e-first-'));
    [server, browser] = await Promise.all([
      startServer({ PORT: '0', LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent', AUDIT_DB: join(auditDir, 'audit.db') }),
      launchChromium(),
    ]);
    pageUrl = `http://localhost:${new URL(server.url!).port}/?channel=${LOCAL_CHANNEL}`;
  }, 30_000);

  beforeEach(async () => {
    context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    sim = new SimPage(await context.newPage());
    await sim.open(pageUrl);
    await sim.actAs('U0ADMIN');
  });

  afterEach(async () => {
    await context?.close();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    if (auditDir) rmSync(auditDir, { recursive: true, force: true });
  });

  it('shows why a 10,000-character command was not sent, under the box, and keeps what was typed', async () => {
    const typed = `/im-user ${'x'.repeat(10_000)}`;
    await sim.send(typed);
    const error = sim.page.locator('[data-testid=composer-error]');
    await error.waitFor({ state: 'visible' });
    await expect(error.textContent()).resolves.toBe(
      "Your message is too long: 10,009 characters, 6,009 over Slack's limit of 4,000. Shorten it to send it.",
    );
    await expect(sim.page.locator('[data-testid=message-box]').inputValue()).resolves.toBe(typed);
    await screenshot(sim.page, 'first-use-01-too-long');
    // Nothing reached the channel: a short command sent now is the only echo there.
    await sim.send('/im-user alice');
    await error.waitFor({ state: 'hidden' });
    await sim.appMessage('Alice Chen');
    await expect(sim.messages(/x{100}/).count()).resolves.toBe(0);
  });

  it('draws the crown of a QChat server owner, not ":crown:"', async () => {
    await sim.send('/qchat-nick 1513535 zhangwei Wei (owner)');
    const result = await sim.appMessage('Wei (owner)');
    await expect(result.locator('.sim-emoji-crown').count()).resolves.toBe(1);
    await expect(result.textContent()).resolves.not.toContain(':crown:');
    await screenshot(sim.page, 'first-use-02-crown');
  });

  it('does not bring back a modal left open when the page is reloaded, and the page stays usable', async () => {
    await sim.send('/qchat-nick 1513535');
    await sim.modal().locator('input').first().waitFor();
    await sim.page.reload();
    await sim.page.locator('body[data-version]').waitFor();
    await expect
      .poll(async () => ((await (await fetch(`${new URL(pageUrl).origin}/sim/state?user=U0ADMIN`)).json()) as { modal: unknown }).modal)
      .toBeNull();
    await expect(sim.modal().count()).resolves.toBe(0);
    await expect(sim.page.locator('#sim-modal').isHidden()).resolves.toBe(true);
    await sim.send('/im-user bob');
    await sim.appMessage('Bob Smith');
    await screenshot(sim.page, 'first-use-03-reloaded');
  });

  it('answers an unknown command as Slack does, and sends it nowhere', async () => {
    await sim.send('/foo bar');
    const notice = sim.messages('is not a valid command');
    await notice.first().waitFor();
    await expect(notice.first().textContent()).resolves.toMatch(
      /Slackbot.*\/foo is not a valid command\. In Slack, all messages that start with the "\/" character are interpreted as commands\./s,
    );
    await expect(notice.first().locator('.sim-ephemeral-note').count()).resolves.toBe(1);
    // Sending it to the app would have echoed the command first, as every command sent shows.
    await expect(sim.messages('/foo bar').count()).resolves.toBe(0);
    await screenshot(sim.page, 'first-use-04-unknown-command');
  });

  it('/im-audit @person names the Slack person typed, as Slack sends a mention', async () => {
    await sim.actAs('U0MEMBER');
    await sim.send('/im-user edit bob');
    await sim.modal().waitFor();
    await sim.modal().locator('.sim-modal-close').click();
    await sim.actAs('U0ADMIN');
    await sim.send('/im-audit @max');
    const history = await sim.appMessage('Audit history');
    await expect(history.textContent()).resolves.toMatch(/of what @Max Member did.*Refused/s);
    await expect(history.textContent()).resolves.not.toContain('@max');
    await screenshot(sim.page, 'first-use-05-im-audit-mention');
  });
});
