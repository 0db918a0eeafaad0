/** Page object for the messenger: people search, conversation list, one conversation. */
import { expect, type Locator, type Page } from '@playwright/test';

export type DeliveryLabel = 'Pending' | 'Sent' | 'Delivered' | 'Read';

export class ConversationPage {
  constructor(private readonly page: Page) {}

  /** The message log of the open conversation. */
  get log(): Locator {
    return this.page.getByRole('log', { name: 'Messages' });
  }

  get composer(): Locator {
    return this.page.getByRole('textbox', { name: 'Message' });
  }

  /** The conversation view; its `data-sync-state` says how far syncing got. */
  get view(): Locator {
    return this.page.locator('parley-conversation-view section[data-sync-state]');
  }

  /** Find a person by name and open the conversation with them. */
  async openWith(displayName: string): Promise<void> {
    await this.page.getByRole('searchbox', { name: 'Search people' }).fill(displayName);
    await this.page.getByRole('button', { name: displayName, exact: true }).click();
    await expect(this.page.getByRole('heading', { name: displayName })).toBeVisible();
    await expect(this.page).toHaveURL(/\/c\/c_[A-Za-z0-9_-]{20}$/);
  }

  /** Accept the open conversation's message request (until then, no read receipts go out). */
  async acceptRequest(): Promise<void> {
    const request = this.page.getByRole('region', { name: 'Message request' });
    await request.getByRole('button', { name: 'Accept' }).click();
    await expect(request).toBeHidden();
  }

  /** Wait until the open conversation is synced with the server. */
  async waitUntilSynced(): Promise<void> {
    await expect(this.view).toHaveAttribute('data-sync-state', 'synced');
  }

  /** Type a message and press Enter. */
  async send(text: string): Promise<void> {
    await this.composer.fill(text);
    await this.composer.press('Enter');
    await expect(this.composer).toHaveValue('');
  }

  /** One message bubble in the log, by its text. */
  message(text: string): Locator {
    return this.log.locator('[data-message-id]').filter({ hasText: text });
  }

  /** The delivery-state indicator of one of your own messages. */
  stateOf(text: string): Locator {
    return this.message(text).getByRole('img');
  }

  async expectState(text: string, label: DeliveryLabel | RegExp): Promise<void> {
    await expect(this.message(text).getByRole('img', { name: label })).toBeVisible();
  }
}
