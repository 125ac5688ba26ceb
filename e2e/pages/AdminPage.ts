import { expect, type Page } from '@playwright/test';

/** The Strapi admin panel as administrators and editors use it. */
export class AdminPage {
  constructor(readonly page: Page) {}

  async logIn(email: string, password: string) {
    await this.page.goto('/admin');
    await this.page.getByLabel('Email').fill(email);
    await this.page.getByLabel('Password').fill(password);
    await this.page.getByRole('button', { name: 'Login' }).click();
    await this.page.getByRole('navigation').first().waitFor();
  }

  async openEas() {
    await this.page.getByRole('link', { name: 'EAS', exact: true }).click();
  }

  async openRecordList() {
    await this.page.goto('/admin/content-manager/collection-types/plugin::eas.record');
  }

  async openRecord(documentId: string) {
    await this.page.goto(`/admin/content-manager/collection-types/plugin::eas.record/${documentId}`);
  }

  /** Clicks "Export PDF" (a document action in the Entry panel) and waits for the file. */
  async exportPdf() {
    const downloadPromise = this.page.waitForEvent('download');
    await this.page.getByRole('button', { name: 'Export PDF' }).click();
    return downloadPromise;
  }

  /** The custody notice at the top of the record panel (intact, altered, redacted, not covered). */
  integrityStatus() {
    return this.page.getByTestId('eas-integrity');
  }

  /** The record's history in the panel. */
  recordHistory() {
    return this.page.getByTestId('eas-history');
  }

  /** Redacts with a reason what is named by its checkbox label, through the dialog and its confirmation. */
  async redact(reason: string, labels: string[]) {
    await this.page.getByRole('button', { name: 'Redact personal data…' }).click();
    const dialog = this.page.getByRole('dialog');
    await dialog.getByRole('textbox', { name: 'Reason' }).fill(reason);
    for (const label of labels) await dialog.getByRole('checkbox', { name: label }).check();
    await dialog.getByRole('button', { name: 'Continue' }).click();
    await expect(dialog.getByText('This cannot be undone')).toBeVisible();
    await dialog.getByRole('button', { name: 'Redact for good' }).click();
    await expect(dialog).toBeHidden();
  }

  /** The EAS side panel of a record's edit view. */
  recordPanel() {
    return this.page
      .locator('aside, [role="complementary"], div')
      .filter({ has: this.page.getByText('Evidence record', { exact: true }) })
      .last();
  }
}
