import type { Page } from '@playwright/test';

/** The Strapi admin panel as administrators and editors use it. */
export class AdminPage {
  constructor(readonly page: Page) {}

  async logIn(email: string, password: string) {
    await this.page.goto('/admin');
    await this.page.getByLabel('Email').fill(email);
    await this.page.getByLabel('Password').fill(password);
    await this.page.getByRole('button', { name: 'Login' }).click();
  }

  async openEas() {
    await this.page.getByRole('link', { name: 'EAS' }).click();
  }
}
