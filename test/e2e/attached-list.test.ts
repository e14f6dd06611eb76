import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { LOCAL_CHANNEL } from '../../src/local-mode.js';
import { startServer, type RunningServer } from '../../src/main.js';
import { describeNeeding } from '../support/prerequisites.js';
import { chromiumMissing, launchChromium, screenshot } from './browser.js';
import { SimPage } from './sim-page.js';

/**
 * A list of accounts attached to the Mute form in a real browser against `startServer` with no settings: the file is
 * picked in the form's file input, uploaded to the local Slack API, downloaded by the app with the bot token, and the
 * confirmation gives the count of the accounts in it and typed beside it.
 */
describeNeeding('chromium', chromiumMissing)('local mode in a browser: a list attached to the Mute form', () => {
  let server: RunningServer;
  let browser: Browser;
  let context: BrowserContext | undefined;
  let auditDir: string;
  let pageUrl: string;

  beforeAll(async () => {
    auditDir = mkdtempSync(join(tmpdir(), 'im-admin-e2e-list-'));
    [server, browser] = await Promise.all([
      startServer({ PORT: '0', LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent', AUDIT_DB: join(auditDir, 'audit.db') }),
      launchChromium(),
    ]);
    pageUrl = `http://localhost:${new URL(server.url!).port}/?channel=${LOCAL_CHANNEL}`;
  }, 30_000);

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await server?.stop();
    if (auditDir) rmSync(auditDir, { recursive: true, force: true });
  });

  it('picks a .csv of 80 accounts in the Mute form and reaches the confirmation with its count', async () => {
    context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const sim = new SimPage(await context.newPage());
    await sim.open(pageUrl);
    await sim.actAs('U0ADMIN');
    await sim.send('/im-mute');
    const modal = sim.page.locator('#sim-modal .sim-modal[data-callback-id="moderation_form"]');
    await modal.waitFor();
    const csv = ['accid,note', ...Array.from({ length: 80 }, (_, i) => `spam${i},wave`)].join('\n');
    await modal
      .locator('[data-block="accountsFile"] input[type="file"]')
      .setInputFiles({ name: 'wave.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await modal.locator('[data-block="accids"] textarea').fill('spam1 spam80');
    await modal.locator('[data-block="duration"] input').fill('24h');
    await modal.locator('[data-block="reason"] textarea').fill('spam wave');
    await screenshot(sim.page, 'attached-list-01-mute-form');
    await modal.locator('.sim-modal-submit').click();

    const confirm = sim.page.locator('#sim-modal .sim-modal[data-callback-id="moderation_batch_confirm"]');
    await confirm.waitFor();
    await expect(confirm.textContent()).resolves.toMatch(/Mute 81 accounts everywhere for 24 h/);
  }, 60_000);
});
