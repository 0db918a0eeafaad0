/** Page object for the Privacy section of Settings (reached from your avatar in the header). */
import { expect, type Locator, type Page } from '@playwright/test';

export type LastSeenChoice = 'Everyone' | 'My contacts' | 'Nobody';

export class PrivacySettingsPage {
  constructor(private readonly page: Page) {}

  get section(): Locator {
    return this.page.getByRole('region', { name: 'Privacy' });
  }

  /** Open Settings from the avatar link and wait for the privacy settings to load. */
  async open(): Promise<void> {
    await this.page.getByRole('link', { name: /\(settings\)$/ }).click();
    await expect(this.page.getByRole('heading', { name: 'Settings', level: 1 })).toBeVisible();
    await expect(this.readReceipts).toBeVisible();
  }

  get readReceipts(): Locator {
    return this.section.getByRole('checkbox', { name: 'Read receipts' });
  }

  get typing(): Locator {
    return this.section.getByRole('checkbox', { name: 'Typing indicators' });
  }

  get findByEmail(): Locator {
    return this.section.getByRole('checkbox', { name: 'Let people find me by my e-mail address' });
  }

  lastSeen(choice: LastSeenChoice): Locator {
    return this.section
      .getByRole('group', { name: 'Who sees when I am online and my last seen' })
      .getByRole('radio', { name: choice, exact: true });
  }

  /** Change a setting and wait until the server saved it. */
  async set(control: Locator, on = true): Promise<void> {
    if (on) await control.check();
    else await control.uncheck();
    await expect(this.section.getByText('Saved.')).toBeVisible();
  }
}
