import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { LOCAL_AUDIT_CHANNEL, LOCAL_CHANNEL } from '../../src/local-mode.js';
import { startServer, type RunningServer } from '../../src/main.js';
import { actionIds, callbackIds, INPUT_ACTION_ID } from '../../src/slack/ids.js';
import { describeNeeding } from '../support/prerequisites.js';
import { chromiumMissing, launchChromium, screenshot } from './browser.js';
import { SimPage } from './sim-page.js';

/**
 * Local mode end to end in a real browser: `startServer` with no settings (what `npm start` runs) on a free port,
 * Chromium on the simulator page, a person typing and clicking. Screenshots of every step go to test-artifacts/e2e.
 *
 * One server and one browser for the file (they take seconds to start), but no test relies on another: each starts
 * in #general, says who it acts as (SimPage.actAs closes a modal a failed test left open), waits only for answers newer than its
 * own action (SimPage.appMessage), and the only test that changes a card changes one no other test reads (eve).
 */
describeNeeding('chromium', chromiumMissing)('local mode in a browser', () => {
  let server: RunningServer;
  let browser: Browser;
  let context: BrowserContext;
  let sim: SimPage;
  let auditDir: string;

  beforeAll(async () => {
    auditDir = mkdtempSync(join(tmpdir(), 'im-admin-e2e-'));
    [server, browser] = await Promise.all([
      startServer({ PORT: '0', LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent', AUDIT_DB: join(auditDir, 'audit.db') }),
      launchChromium(),
    ]);
    context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    sim = new SimPage(await context.newPage());
    const port = new URL(server.url!).port;
    await sim.open(`http://localhost:${port}/?channel=${LOCAL_CHANNEL}`);
  }, 30_000);

  beforeEach(() => sim.openChannel(LOCAL_CHANNEL));

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await server?.stop();
    if (auditDir) rmSync(auditDir, { recursive: true, force: true });
  });

  it('prints the page URL and the demo people at start', () => {
    const port = new URL(server.url!).port;
    expect(server.banner).toContain(`http://localhost:${port}/`);
    for (const id of ['U0OWNER', 'U0ADMIN', 'U0MEMBER', 'U0GUEST', 'U0WRITER']) expect(server.banner).toContain(id);
  });

  it('shows both cards for /im-user with two demo accids, only to the person who asked', async () => {
    await sim.actAs('U0ADMIN');
    await sim.send('/im-user alice bob');
    const cards = await sim.appMessage('Alice Chen');
    await expect(cards.locator('.sim-header').allTextContents()).resolves.toEqual(expect.arrayContaining(['Alice Chen', 'Bob Smith']));
    await expect(cards.locator('.sim-ephemeral-note').textContent()).resolves.toContain('Only visible to you');
    await screenshot(sim.page, '01-im-user-two-cards');

    await sim.actAs('U0MEMBER');
    await expect(sim.messages('Alice Chen').count()).resolves.toBe(0);
  });

  it('shows a hostile nickname as text: no mention, no markup', async () => {
    await sim.actAs('U0ADMIN');
    await sim.send('/im-user carol');
    const card = await sim.appMessage('carol');
    await expect(card.locator('.sim-header').first().textContent()).resolves.toBe('<!channel>');
    await expect(card.locator('.sim-broadcast').count()).resolves.toBe(0);
    await screenshot(sim.page, '02-hostile-nickname');
  });

  it('opens "Mute status" from a card', async () => {
    await sim.actAs('U0ADMIN');
    await sim.send('/im-user alice');
    const cards = await sim.appMessage('Alice Chen');
    await sim.beforeActing();
    await cards.locator(`button[data-action="${actionIds.muteStatus}"][data-value="alice"]`).click();
    const status = await sim.appMessage(/Muted somewhere/);
    await expect(status.textContent()).resolves.toContain('alice');
    await screenshot(sim.page, '03-mute-status');
  });

  it('as the admin, edits a nickname in the modal, sees before → after and the audit entry', async () => {
    await sim.actAs('U0ADMIN');
    await sim.send('/im-user eve');
    const card = await sim.appMessage('Eve Zhou 周');
    await card.locator(`button[data-action="${actionIds.edit}"][data-value="eve"]`).click();
    const modal = sim.modal();
    await modal.and(sim.page.locator(`[data-callback-id="${callbackIds.editCard}"]`)).waitFor();
    const nickname = modal.locator(`[data-block="name"][data-action="${INPUT_ACTION_ID}"]`);
    await expect(nickname.inputValue()).resolves.toBe('Eve Zhou 周');

    // NetEase allows 64 characters: the app answers response_action errors, shown under the field, typing kept.
    await nickname.fill('A'.repeat(65));
    await modal.locator('.sim-modal-submit').click();
    const error = modal.locator('[data-error="name"]');
    await error.waitFor();
    await expect(error.textContent()).resolves.toMatch(/64/);
    await expect(nickname.inputValue()).resolves.toBe('A'.repeat(65));
    await screenshot(sim.page, '04-edit-card-modal-error');

    await nickname.fill('Eve Zhou-Wu');
    await screenshot(sim.page, '05-edit-card-modal-filled');

    await sim.beforeActing();
    await modal.locator('.sim-modal-submit').click();
    await modal.waitFor({ state: 'detached' });
    const result = await sim.appMessage('Card updated: eve');
    await expect(result.textContent()).resolves.toMatch(/Eve Zhou 周[\s\S]*Eve Zhou-Wu/);
    await screenshot(sim.page, '06-edit-card-before-after');

    await sim.openChannel(LOCAL_AUDIT_CHANNEL);
    const entry = await sim.appMessage('User card update');
    await expect(entry.textContent()).resolves.toContain('Eve Zhou-Wu');
    await expect(entry.locator('.sim-ephemeral-note').count()).resolves.toBe(0);
    await screenshot(sim.page, '07-audit-channel');
  });

  it('as the member, sees no Edit button and is refused the edit', async () => {
    await sim.actAs('U0MEMBER');
    await sim.send('/im-user bob');
    const card = await sim.appMessage('Bob Smith');
    await expect(card.locator(`button[data-action="${actionIds.edit}"]`).count()).resolves.toBe(0);

    await sim.send('/im-user edit bob');
    const modal = sim.modal();
    await modal.and(sim.page.locator(`[data-callback-id="${callbackIds.notice}"]`)).waitFor();
    await expect(modal.locator('.sim-modal-title').textContent()).resolves.toBe('Not permitted');
    await expect(modal.locator(`[data-block="name"]`).count()).resolves.toBe(0);
    await screenshot(sim.page, '08-member-refused-edit');
    await modal.locator('.sim-modal-close').click();
    await modal.waitFor({ state: 'detached' });
  });

  it('as the member of the writer user group, may edit (the card has the Edit button)', async () => {
    await sim.actAs('U0WRITER');
    await sim.send('/im-user dave');
    const card = await sim.appMessage('Dave');
    await card.locator(`button[data-action="${actionIds.edit}"][data-value="dave"]`).waitFor();
  });

  it('answers in Chinese to the person whose Slack is in zh-CN', async () => {
    await sim.actAs('U0ZHMEMBER');
    await sim.send('/im-user alice nobody');
    const answer = await sim.appMessage('Alice Chen');
    await expect(answer.textContent()).resolves.toMatch(/[\u4e00-\u9fff]/);
  });

  it('as a guest, is refused even for reading, and sees no card', async () => {
    await sim.actAs('U0GUEST');
    await sim.send('/im-user alice');
    const refusal = await sim.appMessage(/guest/i);
    await expect(refusal.textContent()).resolves.not.toContain('Alice Chen');
    await screenshot(sim.page, '09-guest-refused');
  });

  it('keeps the audit channel as its own view', async () => {
    await sim.actAs('U0ADMIN');
    await sim.openChannel(LOCAL_AUDIT_CHANNEL);
    await expect(sim.page.locator('.sim-channel-header').textContent()).resolves.toContain('im-admin-audit');
  });
});
