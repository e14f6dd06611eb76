import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { LOCAL_AUDIT_CHANNEL, LOCAL_CHANNEL } from '../../src/local-mode.js';
import { startServer, type RunningServer } from '../../src/main.js';
import { describeNeeding } from '../support/prerequisites.js';
import { chromiumMissing, launchChromium, screenshot } from './browser.js';
import { SimPage } from './sim-page.js';

/**
 * A message the app updates (chat.update) changes in place on the page, as in Slack: a bulk mute's one audit channel
 * message is posted as running and ends, in the same row, with its final counts. The local Slack holds the update
 * until the page has shown the message as posted, so the test sees both states.
 */
describeNeeding('chromium', chromiumMissing)('local mode: an updated message in a browser', () => {
  let server: RunningServer;
  let browser: Browser;
  let context: BrowserContext;
  let sim: SimPage;
  let auditDir: string;

  beforeAll(async () => {
    auditDir = mkdtempSync(join(tmpdir(), 'im-admin-e2e-update-'));
    [server, browser] = await Promise.all([
      startServer({ PORT: '0', LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent', AUDIT_DB: join(auditDir, 'audit.db') }),
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

  it("a bulk mute's audit channel message is replaced in place by its final counts", async () => {
    const slack = server.simulator!.slack;
    const update = slack.hold('chat.update', (args) => args.channel === LOCAL_AUDIT_CHANNEL);
    await sim.actAs('U0ADMIN');
    await sim.openChannel(LOCAL_CHANNEL);
    await sim.send('/im-mute carol lina 2h spam wave');
    await sim.modal().locator('.sim-modal-submit').click();
    await update.arrived;
    await sim.modal().locator('.sim-modal-close').click();
    await sim.modal().waitFor({ state: 'detached' });

    await sim.openChannel(LOCAL_AUDIT_CHANNEL);
    const batchMessages = sim.messages('Mute: 2 accounts');
    await batchMessages.filter({ hasText: 'Running' }).waitFor();
    await expect(batchMessages.count()).resolves.toBe(1);
    const id = await batchMessages.getAttribute('data-message-id');
    await expect(batchMessages.textContent()).resolves.toContain('0 of 2 — 0 done');
    await screenshot(sim.page, 'updated-message-01-posted');

    update.release();
    const row = sim.page.locator(`[data-message-id="${id}"]`);
    // lina is muted already in the demo data: one done, one already so.
    await row.filter({ hasText: '2 of 2 — 1 done — 1 already so' }).waitFor({ timeout: 15_000 });
    await expect(row.textContent()).resolves.toMatch(/Finished/);
    await expect(row.textContent()).resolves.not.toMatch(/Running|0 of 2/);
    await expect(row.getAttribute('data-via')).resolves.toMatch(/chat\.update/);
    // Still one message for the bulk mute: the update replaced it, it did not add another.
    await expect(sim.messages('Mute: 2 accounts').count()).resolves.toBe(1);
    await screenshot(sim.page, 'updated-message-02-updated');
  });
});
