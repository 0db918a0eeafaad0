/** Page object for the sign-in / sign-up page. */
import { expect, type Page } from '@playwright/test';

export class LoginPage {
  constructor(private readonly page: Page) {}

  async signUp(input: { displayName: string; email: string; password: string }): Promise<void> {
    await this.page.goto('/');
    await this.page.getByRole('link', { name: 'Create an account' }).click();
    await expect(this.page).toHaveURL(/\/sign-up$/);
    await this.page.getByLabel('Display name').fill(input.displayName);
    await this.page.getByLabel('E-mail').fill(input.email);
    await this.page.getByLabel('Password').fill(input.password);
    await this.page.getByRole('button', { name: 'Create account' }).click();
    await expect(this.page.getByRole('button', { name: 'Sign out' })).toBeVisible();
  }

  /** Sign in on the page that is showing the sign-in form (any URL while signed out). */
  async signIn(input: { email: string; password: string }): Promise<void> {
    await this.page.getByLabel('E-mail').fill(input.email);
    await this.page.getByLabel('Password').fill(input.password);
    await this.page.getByRole('button', { name: 'Sign in' }).click();
    await expect(this.page.getByRole('button', { name: 'Sign out' })).toBeVisible();
  }
}
