/** Shared steps of the local-first specs (PWA, offline queue, background sync, tabs). */
import { expect, type Page } from '@playwright/test';
import type { Actor } from '../fixtures/actors';

/** Alice opens a conversation with Bob, Bob accepts it; both end on it, synced. */
export async function connect(alice: Actor, bob: Actor): Promise<void> {
  await alice.signUp();
  await bob.signUp();
  await alice.chat.openWith(bob.name);
  await alice.chat.waitUntilSynced();
  await bob.chat.openWith(alice.name);
  await bob.chat.acceptRequest();
  await bob.chat.waitUntilSynced();
}

/** Resolves once the service worker controls the page (it claims clients on first install). */
export async function waitForServiceWorker(page: Page): Promise<void> {
  await expect
    .poll(() => page.evaluate(() => navigator.serviceWorker.controller?.state ?? null), {
      timeout: 30_000,
    })
    .toBe('activated');
}

/** The texts of the messages in the open conversation, in the order shown. */
export function messageTexts(page: Page): Promise<string[]> {
  return page
    .getByRole('log', { name: 'Messages' })
    .locator('[data-message-id] .text')
    .allInnerTexts();
}

/** The conversation's entry in the list, by the other person's name. */
export const listEntry = (page: Page, name: string) =>
  page.getByRole('link', { name: new RegExp(`^${name}`) });
