import { expect, type Page } from '@playwright/test';

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

  // ── capture ──────────────────────────────────────────────────────────────────────────────────────────────
  async startCapture(formName: string) {
    await this.page.getByRole('link', { name: formName }).click();
    await expect(this.page.getByRole('heading', { name: formName, level: 1 })).toBeVisible();
  }

  /** The record's device id (the capture page keeps it in its URL). */
  clientId() {
    return new URL(this.page.url()).searchParams.get('draft')!;
  }

  async fillFields({ site, condition, details }: { site: string; condition: string; details?: string }) {
    await this.page.getByLabel('Site name').fill(site);
    await this.page.getByLabel('Condition').selectOption({ label: condition });
    if (details !== undefined) await this.page.getByLabel('What needs fixing').fill(details);
  }

  slot(label: string) {
    return this.page.getByRole('region', { name: label });
  }

  /**
   * Takes the photo with the (fake) camera. Chromium's fake camera shows a flat test pattern that the phone's quality
   * check may call blurred, and front and back look alike: such a warning is accepted with "Use anyway", since these
   * journeys are not about photo quality (site.photo-quality.spec.ts is).
   */
  async captureFromCamera(label: string) {
    const slot = this.slot(label);
    await slot.getByRole('button', { name: 'Open camera' }).click();
    await expect(slot.getByRole('button', { name: 'Capture photo' })).toBeVisible();
    await slot.getByRole('button', { name: 'Capture photo' }).click();
    const useAnyway = slot.getByRole('button', { name: 'Use anyway' });
    const ready = slot.getByText(/^Photo ready/);
    await expect(ready.or(useAnyway)).toBeVisible({ timeout: 20_000 });
    if (await useAnyway.isVisible()) await useAnyway.click();
    await expect(ready).toBeVisible();
    await expect(slot.getByRole('img', { name: `${label}: captured photo` })).toBeVisible();
  }

  /** Draws a signature with the mouse over the pad of the slot. */
  async sign(role: string, signerName: string) {
    const slot = this.slot(`Signature of the ${role}`);
    await slot.getByLabel('Name of the signer').fill(signerName);
    const canvas = slot.locator('canvas');
    await canvas.scrollIntoViewIfNeeded();
    const box = (await canvas.boundingBox())!;
    const { mouse } = this.page;
    // A person never draws the same signature twice, pixel for pixel; the server refuses a byte-identical image as a
    // copy (signature_reused). Each call draws its own zigzag.
    const jitter = () => (Math.random() - 0.5) * 0.2;
    await mouse.move(box.x + 20, box.y + box.height * (0.6 + jitter()));
    await mouse.down();
    for (let i = 1; i <= 12; i++) {
      await mouse.move(box.x + 20 + i * ((box.width - 40) / 12), box.y + box.height * ((i % 2 ? 0.3 : 0.7) + jitter()), { steps: 3 });
    }
    await mouse.up();
  }

  async review() {
    await this.page.getByRole('button', { name: 'Review', exact: true }).click();
    await expect(this.page.getByRole('heading', { name: 'Review before sending' })).toBeVisible();
  }

  async submit() {
    await this.page.getByRole('button', { name: 'Submit', exact: true }).click();
  }

  receipts() {
    return this.page.locator('[data-receipts] li');
  }

  /** The sync status's count ("Nothing waiting to sync.", "1 record saved on this phone — …"). */
  syncCount() {
    return this.page.locator('eas-sync-status').getByRole('status');
  }
}
