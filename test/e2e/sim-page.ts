import type { Locator, Page } from 'playwright-core';

/** The simulator page as a person uses it: pick who you are, type in the message box, click, fill modals. */
export class SimPage {
  constructor(readonly page: Page) {}

  async open(url: string): Promise<void> {
    await this.page.goto(url);
    await this.page.locator('body[data-version]').waitFor();
  }

  /** Switches the person the page acts as, and waits for their view. */
  async actAs(userId: string): Promise<void> {
    await this.page.selectOption('[data-testid=user-switch]', userId);
    await this.page.locator(`body[data-user="${userId}"]`).waitFor();
  }

  async openChannel(channelId: string): Promise<void> {
    await this.page.click(`.sim-channels li[data-channel="${channelId}"]`);
    await this.page.locator(`.sim-channels li.sim-current[data-channel="${channelId}"]`).waitFor();
  }

  /** Types a line in the message box and sends it, as a person would (Enter). */
  async send(text: string): Promise<void> {
    const box = this.page.locator('[data-testid=message-box]');
    await box.fill(text);
    await box.press('Enter');
  }

  /** The messages on screen (in the open channel) containing `text`. */
  messages(text?: string | RegExp): Locator {
    const all = this.page.locator('[data-testid=message]');
    return text === undefined ? all : all.filter({ hasText: text });
  }

  /** The newest message from the app that contains `text`, once it is on screen. */
  async appMessage(text: string | RegExp): Promise<Locator> {
    const message = this.messages(text).filter({ has: this.page.locator('.sim-app-tag') }).last();
    await message.waitFor();
    return message;
  }

  modal(): Locator {
    return this.page.locator('#sim-modal .sim-modal');
  }
}
