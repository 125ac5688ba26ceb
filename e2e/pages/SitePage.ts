import type { Page } from '@playwright/test';

/** The capture site as field staff use it. */
export class SitePage {
  constructor(readonly page: Page) {}

  async open() {
    await this.page.goto('/');
  }

  async signIn(identifier: string, password: string) {
    await this.page.getByLabel('Email or username').fill(identifier);
    await this.page.getByLabel('Password').fill(password);
    await this.page.getByRole('button', { name: 'Sign in' }).click();
  }

  formsHeading() {
    return this.page.getByRole('heading', { name: 'Forms', level: 1 });
  }

  form(name: string) {
    return this.page.getByRole('heading', { name, level: 2 });
  }

  error() {
    return this.page.getByRole('alert');
  }

  async signOut() {
    await this.page.getByRole('button', { name: 'Sign out' }).click();
  }
}
