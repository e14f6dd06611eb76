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
 * The simulator's Home tab, message ⋮ menu and Workflows panel, in a real browser against `npm start`'s local mode:
 * each sends what Slack sends and shows what the app answered.
 */
describeNeeding('chromium', chromiumMissing)('local mode: Home tab, message shortcut, Workflows', () => {
  let server: RunningServer;
  let browser: Browser;
  let context: BrowserContext;
  let sim: SimPage;
  let auditDir: string;

  beforeAll(async () => {
    auditDir = mkdtempSync(join(tmpdir(), 'im-admin-e2e-surfaces-'));
    [server, browser] = await Promise.all([
      startServer({ PORT: '0', LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent', AUDIT_LOG: join(auditDir, 'audit.jsonl') }),
      launchChromium(),
    ]);
    context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    sim = new SimPage(await context.newPage());
    await sim.open(`http://localhost:${new URL(server.url!).port}/?channel=${LOCAL_CHANNEL}`);
  }, 30_000);

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await server?.stop();
    if (auditDir) rmSync(auditDir, { recursive: true, force: true });
  });

  it('the Home tab shows a moderator what stands, and its lookup box answers in the app DM', async () => {
    await sim.actAs('U0ADMIN');
    await sim.openChannel(LOCAL_CHANNEL);
    await sim.send('/im-mute dave 2h spam wave');
    await sim.modal().locator('.sim-modal-submit').click();
    await sim.modal().filter({ hasText: /Done/ }).waitFor();
    await sim.modal().locator('.sim-modal-close').click();

    await sim.page.click('[data-testid=home-tab]');
    const home = sim.page.locator('[data-testid=home]');
    await home.filter({ hasText: /lifts in 2 h/ }).waitFor();
    await expect(home.textContent()).resolves.toMatch(/dave/);
    await expect(home.locator('button[data-action="moderation.unmute"][data-value="dave"]').count()).resolves.toBe(1);
    await screenshot(sim.page, 'surfaces-01-home');

    await home.locator('.sim-input [data-kind]').first().fill('alice');
    await home.locator('button[data-action="home.lookup"]').click();
    await sim.page.click('.sim-channels li[data-channel^="D"]');
    await sim.messages('Alice Chen').first().waitFor();
  });

  it('⋮ → Look up IM accounts on a message answers with the cards it names, only to the person', async () => {
    await sim.actAs('U0ADMIN');
    await sim.openChannel(LOCAL_CHANNEL);
    await sim.send('report: spam from `alice` and accid: bob');
    const report = sim.messages('report: spam from').last();
    await report.waitFor();
    await sim.beforeActing();
    await report.locator('[data-testid=message-menu]').click();
    await report.locator('[data-testid=shortcut-lookup]').click();
    const cards = await sim.appMessage('Alice Chen');
    await expect(cards.textContent()).resolves.toContain('Bob Smith');
    await expect(cards.locator('.sim-ephemeral-note').count()).resolves.toBe(1);
    await screenshot(sim.page, 'surfaces-02-message-shortcut');
  });

  it('the Workflows panel runs a step as Workflow Builder does and shows how the app completed or failed it', async () => {
    await sim.actAs('U0ADMIN');
    await sim.page.click('[data-testid=workflows-tab]');
    await sim.page.fill('[data-testid=step-lookup_im_account-accid]', 'alice');
    await sim.page.click('[data-testid=run-lookup_im_account]');
    await sim.page.locator('[data-testid=step-run]', { hasText: /completed: .*"found": true/s }).waitFor();

    await sim.actAs('U0MEMBER');
    await sim.page.click('[data-testid=workflows-tab]');
    await sim.page.fill('[data-testid=step-mute_im_accounts-accids]', 'alice');
    await sim.page.fill('[data-testid=step-mute_im_accounts-duration]', '1h');
    await sim.page.fill('[data-testid=step-mute_im_accounts-reason]', 'test');
    await sim.page.click('[data-testid=run-mute_im_accounts]');
    await sim.page.locator('[data-testid=step-run]', { hasText: /failed: The acting person \(U0MEMBER\) may not mute/ }).waitFor();
    await screenshot(sim.page, 'surfaces-03-workflows');
  });
});
