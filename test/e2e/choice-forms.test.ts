import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Locator } from 'playwright-core';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { LOCAL_CHANNEL } from '../../src/local-mode.js';
import { startServer, type RunningServer } from '../../src/main.js';
import { describeNeeding } from '../support/prerequisites.js';
import { chromiumMissing, launchChromium, screenshot } from './browser.js';
import { SimPage } from './sim-page.js';

/**
 * The forms whose answers are choices (issue 20, item 12), in a real browser against `startServer` with no settings:
 * the Mute form's "Where" tick boxes, the Block form's "log them out of every device", the conflict form's "keep
 * theirs / overwrite" round buttons. Each is used as a person would (clicking options), and what the app did with
 * the choice is read back from what it shows. Each test has its own page (a fresh browser context) and its own account.
 */
describeNeeding('chromium', chromiumMissing)('local mode in a browser: forms with choices', () => {
  let server: RunningServer;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  let auditDir: string;
  let pageUrl: string;

  const pageAs = async (userId: string): Promise<SimPage> => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    contexts.push(context);
    const sim = new SimPage(await context.newPage());
    await sim.open(pageUrl);
    await sim.actAs(userId);
    return sim;
  };
  /** The modal once it shows the form with this callback id. */
  const form = async (sim: SimPage, callbackId: string): Promise<Locator> => {
    const modal = sim.page.locator(`#sim-modal .sim-modal[data-callback-id="${callbackId}"]`);
    await modal.waitFor();
    return modal;
  };
  const choice = (modal: Locator, block: string, label: string) =>
    modal.locator(`.sim-input[data-block="${block}"] label.sim-choice`).filter({ hasText: label }).locator('input');

  beforeAll(async () => {
    auditDir = mkdtempSync(join(tmpdir(), 'im-admin-e2e-choices-'));
    [server, browser] = await Promise.all([
      startServer({ PORT: '0', LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent', AUDIT_DB: join(auditDir, 'audit.db') }),
      launchChromium(),
    ]);
    pageUrl = `http://localhost:${new URL(server.url!).port}/?channel=${LOCAL_CHANNEL}`;
  }, 30_000);

  afterEach(async () => {
    for (const context of contexts.splice(0)) await context.close();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    if (auditDir) rmSync(auditDir, { recursive: true, force: true });
  });

  it('mutes in the places ticked in "Where", not everywhere', async () => {
    const sim = await pageAs('U0ADMIN');
    await sim.send('/im-mute liuyang');
    const modal = await form(sim, 'moderation_form');
    await expect(choice(modal, 'scope', 'Everywhere').isChecked()).resolves.toBe(true);
    await choice(modal, 'scope', 'Everywhere').uncheck();
    await choice(modal, 'scope', 'One-to-one').check();
    await choice(modal, 'scope', 'Teams').check();
    await modal.locator('[data-block="duration"] input').fill('1h');
    await modal.locator('[data-block="reason"] textarea').fill('spam links');
    await screenshot(sim.page, 'choices-01-mute-where');
    await modal.locator('.sim-modal-submit').click();

    const confirm = await form(sim, 'moderation_confirm');
    await expect(confirm.textContent()).resolves.toMatch(/One-to-one.*Teams|Teams.*One-to-one/s);
    await expect(confirm.textContent()).resolves.not.toMatch(/Everywhere/);
    await sim.beforeActing();
    await confirm.locator('.sim-modal-submit').click();
    await sim.appMessage(/liuyang/);

    await sim.page.locator('#sim-modal .sim-modal-close').click();
    await sim.send('/im-mute-status liuyang');
    const status = await sim.appMessage(/liuyang/);
    await expect(status.textContent()).resolves.toMatch(/One-to-one/);
    await expect(status.textContent()).resolves.not.toMatch(/muted everywhere/i);
  });

  it('asks again, as Slack does, when "Where" is left with nothing ticked', async () => {
    const sim = await pageAs('U0ADMIN');
    await sim.send('/im-mute chenjing');
    const modal = await form(sim, 'moderation_form');
    await choice(modal, 'scope', 'Everywhere').uncheck();
    await modal.locator('[data-block="duration"] input').fill('1h');
    await modal.locator('[data-block="reason"] textarea').fill('spam');
    await modal.locator('.sim-modal-submit').click();
    await expect(modal.locator('[data-error="scope"]').textContent()).resolves.toBe('Please complete this required field.');
    await expect(modal.getAttribute('data-callback-id')).resolves.toBe('moderation_form');
  });

  it('blocks and logs out of every device when the box is ticked', async () => {
    const sim = await pageAs('U0ADMIN');
    await sim.send('/im-block frank');
    const modal = await form(sim, 'moderation_form');
    await expect(choice(modal, 'needkick', 'Log them out of every device').isChecked()).resolves.toBe(false);
    await choice(modal, 'needkick', 'Log them out of every device').check();
    await modal.locator('[data-block="reason"] textarea').fill('stolen account');
    await screenshot(sim.page, 'choices-02-block-devices');
    await modal.locator('.sim-modal-submit').click();
    const confirm = await form(sim, 'moderation_confirm');
    await expect(confirm.textContent()).resolves.toContain('and log them out of every device');
  });

  it('shows the conflict form with its two choices, refuses it without one, and keeps theirs when chosen', async () => {
    const ada = await pageAs('U0ADMIN');
    const olu = await pageAs('U0OWNER');
    const openEdit = async (sim: SimPage) => {
      await sim.send('/im-user edit zhaolei');
      return form(sim, 'edit_card');
    };
    const adaForm = await openEdit(ada);
    const oluForm = await openEdit(olu);
    await oluForm.locator('[data-block="name"] input').fill('Zhao Olu');
    await olu.beforeActing();
    await oluForm.locator('.sim-modal-submit').click();
    await olu.appMessage('Card updated: zhaolei');

    await adaForm.locator('[data-block="name"] input').fill('Zhao Ada');
    await adaForm.locator('.sim-modal-submit').click();
    const conflict = ada.page.locator('#sim-modal .sim-modal .sim-input[data-block="conflict.name"]');
    await conflict.waitFor();
    const modal = ada.modal();
    await expect(conflict.locator('input[type=radio]').count()).resolves.toBe(2);
    await expect(choice(modal, 'conflict.name', 'Keep theirs').isChecked()).resolves.toBe(false);
    await expect(choice(modal, 'conflict.name', 'Overwrite with mine').isChecked()).resolves.toBe(false);

    await modal.locator('.sim-modal-submit').click();
    await expect(modal.locator('[data-error="conflict.name"]').textContent()).resolves.toBe('Please complete this required field.');
    await screenshot(ada.page, 'choices-03-conflict-no-choice');

    await choice(modal, 'conflict.name', 'Keep theirs').check();
    await ada.beforeActing();
    await modal.locator('.sim-modal-submit').click();
    await modal.waitFor({ state: 'detached' });
    await ada.send('/im-user zhaolei');
    const card = await ada.appMessage('zhaolei');
    await expect(card.locator('.sim-header').first().textContent()).resolves.toBe('Zhao Olu');
  });
});
