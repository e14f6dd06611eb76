import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LOCAL_CHANNEL } from '../../src/local-mode.js';
import { startServer } from '../../src/main.js';
import { actionIds, callbackIds, INPUT_ACTION_ID } from '../../src/slack/ids.js';
import { launchChromium } from './browser.js';

/**
 * Draws docs/local-mode.png, the README's picture of local mode: `npx tsx test/e2e/docs-screenshot.ts` (Debian's
 * Chromium at /usr/bin/chromium). Ada Admin looks up alice, then renames her in the Edit card form. Not a test: run it
 * again when what the page shows has changed.
 */
const dataDir = mkdtempSync(join(tmpdir(), 'im-admin-docs-'));
const server = await startServer({ PORT: '0', LOG_LEVEL: 'silent', AUDIT_LOG: join(dataDir, 'audit.jsonl') });
const browser = await launchChromium();
try {
  const context = await browser.newContext({ viewport: { width: 1280, height: 820 } });
  const page = await context.newPage();
  // Plain Playwright waits (SimPage's need a running vitest).
  await page.goto(`http://localhost:${new URL(server.url!).port}/?channel=${LOCAL_CHANNEL}&user=U0ADMIN`);
  await page.locator('body[data-user="U0ADMIN"]').waitFor();
  const send = async (text: string) => {
    await page.locator('[data-testid=message-box]').fill(text);
    await page.locator('[data-testid=message-box]').press('Enter');
  };
  await send('/im-user alice');
  await page.locator(`button[data-action="${actionIds.edit}"][data-value="alice"]`).click();
  const form = page.locator(`#sim-modal .sim-modal[data-callback-id="${callbackIds.editCard}"]`);
  await form.locator(`[data-block="name"][data-action="${INPUT_ACTION_ID}"]`).fill('Alice Chen-Wu');
  await form.locator('.sim-modal-submit').click();
  await form.waitFor({ state: 'detached' });
  await page.locator('[data-testid=message]', { hasText: 'Card updated: alice' }).waitFor();
  await page.screenshot({ path: 'docs/local-mode.png' });
  await context.close();
} finally {
  await browser.close();
  await server.stop();
  rmSync(dataDir, { recursive: true, force: true });
}
