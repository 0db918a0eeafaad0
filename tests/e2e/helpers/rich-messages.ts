/** Steps of the rich-message specs (edit, reply, reactions): a message's menu and parts. */
import { expect, type Locator, type Page } from '@playwright/test';
import type { Actor } from '../fixtures/actors';

/** The message whose text is exactly `text` (not a reply quoting it). */
export function messageExactly(page: Page, text: string): Locator {
  return page
    .getByRole('log', { name: 'Messages' })
    .locator('[data-message-id]')
    .filter({
      has: page.locator('.text').filter({ hasText: new RegExp(`^${escape(text)}$`) }),
    });
}

/** Open the options menu of the message `text` and choose `item`. */
export async function chooseFromMenu(who: Actor, text: string, item: string): Promise<void> {
  const message = messageExactly(who.page, text);
  await message.hover();
  await message.getByRole('button', { name: 'Message options' }).click();
  await who.page
    .getByRole('menu', { name: 'Message options' })
    .getByRole('menuitem', { name: item })
    .click();
}

/** The composer's "Replying to …" / "Editing your message" bar. */
export const composerContext = (page: Page, name: string | RegExp): Locator =>
  page.getByRole('group', { name });

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export { expect };
