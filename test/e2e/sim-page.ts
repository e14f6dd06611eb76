import type { Locator, Page } from 'playwright-core';
import { expect } from 'vitest';

/** The one DOM method these page functions use (the TypeScript build has no DOM library: they run in the browser). */
type DomElement = { getAttribute(name: string): string | null };

/** The simulator page as a person uses it: pick who you are, type in the message box, click, fill modals. */
export class SimPage {
  /** The newest message when the person last acted: answers to that action are newer. */
  #before = 0;

  constructor(readonly page: Page) {}

  async open(url: string): Promise<void> {
    await this.page.goto(url);
    await this.page.locator('body[data-version]').waitFor();
  }

  /** Switches the person the page acts as, and waits for their view, closing a modal left open in it. */
  async actAs(userId: string): Promise<void> {
    await this.page.selectOption('[data-testid=user-switch]', userId);
    await this.page.locator(`body[data-user="${userId}"]`).waitFor();
    if (await this.modal().isVisible()) {
      await this.modal().locator('.sim-modal-close').click();
      await this.modal().waitFor({ state: 'detached' });
    }
  }

  async openChannel(channelId: string): Promise<void> {
    await this.page.click(`.sim-channels li[data-channel="${channelId}"]`);
    await this.page.locator(`.sim-channels li.sim-current[data-channel="${channelId}"]`).waitFor();
  }

  /**
   * Notes the newest message in the workspace: appMessage then waits for an answer that arrives after this moment, and
   * cannot be satisfied by an older message saying the same thing. `send` calls it; call it before a click.
   */
  async beforeActing(): Promise<void> {
    const ids = await this.page
      .locator('[data-message-id]')
      .evaluateAll((rows) => rows.map((row) => (row as DomElement).getAttribute('data-message-id')));
    this.#before = Math.max(0, ...ids.map(serialOf));
  }

  /** Types a line in the message box and sends it, as a person would (Enter). */
  async send(text: string): Promise<void> {
    await this.beforeActing();
    const box = this.page.locator('[data-testid=message-box]');
    await box.fill(text);
    await box.press('Enter');
  }

  /** The messages on screen (in the open channel) containing `text`. */
  messages(text?: string | RegExp): Locator {
    const all = this.page.locator('[data-testid=message]');
    return text === undefined ? all : all.filter({ hasText: text });
  }

  /** The newest message from the app that contains `text` and arrived after the person last acted, once on screen. */
  async appMessage(text: string | RegExp): Promise<Locator> {
    const fromApp = this.messages(text).filter({ has: this.page.locator('.sim-app-tag') });
    let id: string | null | undefined;
    await expect
      .poll(
        async () => {
          const ids = await fromApp.evaluateAll((rows) => rows.map((row) => (row as DomElement).getAttribute('data-message-id')));
          id = ids.findLast((candidate) => serialOf(candidate) > this.#before);
          return id !== undefined;
        },
        { timeout: 15_000, message: `an app message containing ${String(text)}, newer than the last action` },
      )
      .toBe(true);
    return this.page.locator(`[data-message-id="${id}"]`);
  }

  modal(): Locator {
    return this.page.locator('#sim-modal .sim-modal');
  }
}

/** Message ids are `m<serial>`, one serial counter for the whole workspace: a higher serial is a newer message. */
function serialOf(id: string | null): number {
  return Number(id?.slice(1)) || 0;
}
