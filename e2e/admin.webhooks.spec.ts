import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Page } from '@playwright/test';
import { Webhook } from 'standardwebhooks';
import { submitRecord } from '../cms/tests/harness';
import { expect, seriousViolations, test } from './fixtures';
import { AdminPage } from './pages/AdminPage';

interface Hit {
  id: string;
  headers: Record<string, string>;
  raw: string;
  answered: number;
}

/**
 * A webhook receiver on 127.0.0.1 (global-setup lets endpoints point at internal addresses): keeps every request's
 * headers and raw body, and answers `status`.
 */
const startReceiver = async () => {
  const hits: Hit[] = [];
  const rx = { hits, status: 200, url: '', close: () => new Promise<void>((r) => server.close(() => r())) };
  const server = http.createServer((req, res) => {
    let raw = '';
    req.on('data', (c: Buffer) => (raw += c));
    req.on('end', () => {
      hits.push({ id: String(req.headers['webhook-id']), headers: req.headers as Record<string, string>, raw, answered: rx.status });
      res.writeHead(rx.status).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  rx.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/eas-hook`;
  return rx;
};

/** EAS → Webhooks as an administrator uses it. */
class WebhooksPage {
  constructor(readonly page: Page) {}

  async open() {
    await this.page.goto('/admin/plugins/eas');
    await this.page.getByRole('navigation', { name: 'EAS' }).getByRole('link', { name: 'Webhooks' }).click();
    await expect(this.page.getByRole('heading', { name: 'Webhooks', level: 1 })).toBeVisible();
  }

  editor() {
    return this.page.getByRole('region', { name: 'Add an endpoint' });
  }

  /** The endpoint's row in the endpoints table. */
  endpoint(url: string) {
    return this.page.getByTestId('eas-webhooks').getByRole('row').filter({ hasText: url });
  }

  log(url: string) {
    return this.page.getByRole('region', { name: `Deliveries to ${url}` });
  }

  /** A delivery in the log, by its webhook-id. */
  delivery(url: string, webhookId: string) {
    return this.log(url).locator(`tr[data-event-id="${webhookId}"]`);
  }
}

/** Waits for the receiver's n-th request (1-based). */
const nthHit = async (hits: Hit[], n: number) => {
  await expect.poll(() => hits.length, { timeout: 20_000 }).toBeGreaterThanOrEqual(n);
  return hits[n - 1];
};

test.describe('webhooks', () => {
  test('an administrator adds an endpoint, sees signed deliveries in its log, and redelivers one the receiver refused', async ({
    page,
    baseURL,
    fieldStaff,
    publishForm,
  }) => {
    const rx = await startReceiver();
    try {
      const name = `Hook form ${Date.now().toString(36)}`;
      const slug = await publishForm(name);
      await page.setViewportSize({ width: 1440, height: 900 });
      await new AdminPage(page).logIn(process.env.EAS_ADMIN_EMAIL!, process.env.EAS_ADMIN_PASSWORD!);
      const hooks = new WebhooksPage(page);
      await hooks.open();

      // Add: a refused save names the field under it; then record.submitted of this form, with the captured data.
      await page.getByRole('button', { name: 'Add an endpoint' }).click();
      const editor = hooks.editor();
      await editor.getByRole('textbox', { name: 'URL' }).fill(rx.url);
      await editor.getByRole('combobox', { name: 'Form' }).click();
      await page.getByRole('option', { name }).click();
      await editor.getByRole('button', { name: 'Add endpoint' }).click();
      await expect(editor.getByRole('alert')).toHaveText('choose at least one event');
      await editor.getByRole('checkbox', { name: /^record\.submitted/ }).check();
      await editor.getByRole('checkbox', { name: 'Include the captured data' }).check();
      await editor.getByRole('button', { name: 'Add endpoint' }).click();
      await expect(editor).toBeHidden();
      const row = hooks.endpoint(rx.url);
      await expect(row).toContainText('record.submitted');
      await expect(row).toContainText(name);
      await expect(row).toContainText('Enabled');

      // The new endpoint's log is open, with the secret to configure the receiver with.
      const log = hooks.log(rx.url);
      const secret = await log.getByRole('textbox', { name: 'Signing secret' }).inputValue();
      expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);
      await expect(log.getByText('Nothing sent yet')).toBeVisible();

      // A submitted record arrives signed with that secret (Standard Webhooks), and is logged as delivered.
      const record = await submitRecord(baseURL!, fieldStaff.jwt, slug, { notes: 'Fence cut near gate 4' });
      const first = await nthHit(rx.hits, 1);
      const event = new Webhook(secret).verify(first.raw, first.headers) as {
        type: string;
        data: { record: { reference: string; data?: Record<string, unknown> } };
      };
      expect(event.type).toBe('record.submitted');
      expect(event.data.record.reference).toBe(record.reference);
      expect(event.data.record.data).toEqual({ notes: 'Fence cut near gate 4' });
      expect(() => new Webhook(`whsec_${Buffer.from('another secret').toString('base64')}`).verify(first.raw, first.headers)).toThrow();
      const delivered = hooks.delivery(rx.url, first.id);
      await expect(delivered).toContainText('record.submitted');
      await expect(delivered).toContainText('Delivered');
      await expect(delivered).toContainText('200');

      // The receiver fails: the attempt is logged with its answer, and waits for a retry.
      rx.status = 500;
      const refusedRecord = await submitRecord(baseURL!, fieldStaff.jwt, slug, { notes: 'Gate 5 lock broken' });
      const refused = await nthHit(rx.hits, 2);
      expect(refused.answered).toBe(500);
      const failed = hooks.delivery(rx.url, refused.id);
      await expect(failed).toContainText('Failed, will retry');
      await expect(failed).toContainText('500');
      await expect(failed).toContainText('next at');

      // Redeliver: the same event (same webhook-id), accepted this time.
      rx.status = 200;
      await page.mouse.move(0, 0);
      expect(await seriousViolations(page)).toEqual([]);
      await page.screenshot({ path: test.info().outputPath('webhooks.png'), fullPage: true });
      await failed.getByRole('button', { name: 'Redeliver' }).click();
      const again = await nthHit(rx.hits, 3);
      expect(again.id).toBe(refused.id);
      const resent = new Webhook(secret).verify(again.raw, again.headers) as { data: { record: { reference: string } } };
      expect(resent.data.record.reference).toBe(refusedRecord.reference);
      await expect(failed).toContainText('Delivered');
      await expect(failed).toContainText('200');
      await expect(hooks.log(rx.url).getByRole('row')).toHaveCount(3);

      // Delete, after a confirmation: the endpoint and its log are gone.
      await row.getByRole('button', { name: 'Delete' }).click();
      await page.getByRole('alertdialog').getByRole('button', { name: 'Confirm' }).click();
      await expect(row).toHaveCount(0);
      await expect(log).toBeHidden();
    } finally {
      await rx.close();
    }
  });
});
