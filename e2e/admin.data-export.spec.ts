import fs from 'node:fs';
import type { Download, Page } from '@playwright/test';
import { parse as parseCsv } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { createAdminWithPermissions, createAndPublishForm, createEditor, submitRecord } from '../cms/tests/harness';
import { expect, seriousViolations, test } from './fixtures';
import { AdminPage } from './pages/AdminPage';
import { EasFormBuilder } from './pages/EasFormBuilder';

/** EAS → Exports as an editor uses it. */
class ExportsPage {
  constructor(readonly page: Page) {}

  nav() {
    return this.page.getByRole('navigation', { name: 'EAS' });
  }

  async open() {
    await this.page.goto('/admin/plugins/eas');
    await this.nav().getByRole('link', { name: 'Exports' }).click();
    await expect(this.page.getByRole('heading', { name: 'Exports', level: 1 })).toBeVisible();
  }

  form() {
    return this.page.getByRole('region', { name: 'New export' });
  }

  async choose(label: string, option: string) {
    await this.form().getByRole('combobox', { name: label }).click();
    await this.page.getByRole('option', { name: option, exact: true }).click();
  }

  /** Starts the export chosen, waits until it is ready, downloads it and returns the file's bytes. */
  async startAndDownload(records: number): Promise<{ download: Download; bytes: Buffer }> {
    const started = this.page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/eas/data-exports');
    await this.form().getByRole('button', { name: 'Start the export' }).click();
    const response = await started;
    expect(response.status(), await response.text()).toBe(202);
    const { id } = ((await response.json()) as { data: { id: string } }).data;
    const current = this.page.locator(`[data-export-id="${id}"]`);
    await expect(current).toContainText(`Ready: ${records} records`, { timeout: 30_000 });
    const downloading = this.page.waitForEvent('download');
    await current.getByRole('button', { name: 'Download' }).click();
    const download = await downloading;
    return { download, bytes: fs.readFileSync(await download.path()) };
  }
}

const SITES = ['North well, "A" side', 'South gate'];
const INSPECTORS = ['Amina Diallo', 'Kofi Mensah'];

/** A form with a personal field, and two submitted records; returns its name, slug and the records. */
const seed = async (baseURL: string, adminToken: string, jwt: string) => {
  const name = `Export form ${Date.now().toString(36)}`;
  const slug = name.toLowerCase().replace(/[^a-z0-9]+/g, '-');
  await createAndPublishForm(baseURL, adminToken, {
    name,
    slug,
    fields: [
      { key: 'site', label: 'Site name', type: 'text', required: true },
      { key: 'inspector', label: 'Inspector', type: 'text', required: true, personal: true },
    ],
    frontPhoto: { enabled: false },
    backPhoto: { enabled: false },
    signatures: [],
  });
  const records = [];
  for (const [i, site] of SITES.entries()) records.push(await submitRecord(baseURL, jwt, slug, { site, inspector: INSPECTORS[i] }));
  return { name, slug, records };
};

test.describe('data exports', () => {
  test('an editor exports a form’s records as CSV from the Exports page, and the file’s rows are the records', async ({
    page,
    baseURL,
    adminToken,
    fieldStaff,
  }) => {
    const { name, records } = await seed(baseURL!, adminToken, fieldStaff.jwt);
    const editor = await createEditor(baseURL!, adminToken);
    await page.setViewportSize({ width: 1440, height: 900 });
    await new AdminPage(page).logIn(editor.email, editor.password);
    const exports = new ExportsPage(page);
    await exports.open();
    // The EAS editor role may export, not manage webhooks.
    await expect(exports.nav().getByRole('link', { name: 'Webhooks' })).toHaveCount(0);

    await exports.choose('Form', name);
    await exports.form().getByRole('checkbox', { name: 'Excel-friendly CSV (BOM)' }).check();
    const { download, bytes } = await exports.startAndDownload(2);
    expect(download.suggestedFilename()).toMatch(/^eas-records-\d{4}-\d{2}-\d{2}\.csv$/);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const rows = parseCsv(bytes, { bom: true, columns: true }) as Record<string, string>[];
    expect(rows.map((r) => [r.reference, r.status, r['field.site'], r['field.inspector']]).sort()).toEqual(
      records.map((r, i) => [r.reference, 'submitted', SITES[i], INSPECTORS[i]]).sort()
    );

    // The export is listed with the editor's recent ones, ready to download again.
    const recent = page.getByTestId('eas-data-exports').getByRole('row').filter({ hasText: name });
    await expect(recent).toHaveCount(1);
    await expect(recent).toContainText('CSV');
    await expect(recent).toContainText('Done');
    const again = page.waitForEvent('download');
    await recent.getByRole('button', { name: 'Download' }).click();
    expect(fs.readFileSync(await (await again).path())).toEqual(bytes);

    await page.mouse.move(0, 0);
    expect(await seriousViolations(page)).toEqual([]);
    await page.screenshot({ path: test.info().outputPath('exports.png'), fullPage: true });
  });

  test('an editor downloads an Excel workbook with labels, and a ZIP without personal data with its manifest', async ({
    page,
    baseURL,
    adminToken,
    fieldStaff,
  }) => {
    const { name, records } = await seed(baseURL!, adminToken, fieldStaff.jwt);
    const editor = await createEditor(baseURL!, adminToken);
    await new AdminPage(page).logIn(editor.email, editor.password);
    const exports = new ExportsPage(page);
    await exports.open();
    await exports.choose('Form', name);

    // XLSX, columns named by their labels: opens with exceljs, one row per record.
    await exports.form().getByRole('radio', { name: 'Excel (XLSX)' }).click();
    await exports.form().getByRole('radio', { name: 'Labels (Site name)' }).click();
    const xlsx = await exports.startAndDownload(2);
    expect(xlsx.download.suggestedFilename()).toMatch(/\.xlsx$/);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(xlsx.bytes as unknown as ArrayBuffer);
    const sheet = book.worksheets[0];
    const header = (sheet.getRow(1).values as unknown[]).slice(1);
    expect(header).toEqual(expect.arrayContaining(['Reference', 'Site name', 'Inspector']));
    const column = (label: string) => header.indexOf(label) + 1;
    const cells = [2, 3].map((n) => [
      String(sheet.getRow(n).getCell(column('Reference')).value),
      String(sheet.getRow(n).getCell(column('Site name')).value),
    ]);
    expect(cells.sort()).toEqual(records.map((r, i) => [r.reference, SITES[i]]).sort());

    // ZIP without personal data: the personal field is left out of records.csv, the manifest says so.
    await exports.form().getByRole('radio', { name: 'ZIP with photos and signatures' }).click();
    await exports.form().getByRole('radio', { name: 'Keys (site_name)' }).click();
    await exports.form().getByRole('radio', { name: 'Without personal data' }).click();
    const zipped = await exports.startAndDownload(2);
    expect(zipped.download.suggestedFilename()).toMatch(/\.zip$/);
    const zip = await JSZip.loadAsync(zipped.bytes);
    expect(Object.keys(zip.files)).toEqual(expect.arrayContaining(['manifest.json', 'records.csv', 'SHA256SUMS']));
    const manifest = JSON.parse(await zip.file('manifest.json')!.async('string')) as { format: string; profile: string; records: number };
    expect(manifest).toMatchObject({ format: 'eas-export/1', profile: 'no-personal', records: 2 });
    const table = parseCsv(await zip.file('records.csv')!.async('nodebuffer'), { bom: true, columns: true }) as Record<string, string>[];
    expect(table.map((r) => r['field.site']).sort()).toEqual([...SITES].sort());
    expect(Object.keys(table[0])).not.toContain('field.inspector');

    await expect(page.getByTestId('eas-data-exports').getByRole('row').filter({ hasText: name })).toHaveCount(2);
  });

  test('a question marked Personal data in the builder is left out of an export without personal data', async ({
    page,
    baseURL,
    fieldStaff,
  }) => {
    const name = `Personal form ${Date.now().toString(36)}`;
    await new AdminPage(page).logIn(process.env.EAS_ADMIN_EMAIL!, process.env.EAS_ADMIN_PASSWORD!);
    const builder = new EasFormBuilder(page);
    await builder.create();
    await builder.name(name);
    await builder.add('Short text', 'Site name');
    await builder.add('Short text', 'Inspector');
    await page.getByRole('checkbox', { name: 'Personal data' }).check();
    await expect(page.getByText('Left out of exports without personal data')).toBeVisible();
    await builder.publish(1);
    const slug = name.toLowerCase().replace(/[^a-z0-9]+/g, '-');
    const record = await submitRecord(baseURL!, fieldStaff.jwt, slug, { site_name: 'East tank', inspector: 'Amina Diallo' });

    const exports = new ExportsPage(page);
    await exports.open();
    await exports.choose('Form', name);
    await exports.form().getByRole('radio', { name: 'Without personal data' }).click();
    const { bytes } = await exports.startAndDownload(1);
    const rows = parseCsv(bytes, { bom: true, columns: true }) as Record<string, string>[];
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ reference: record.reference, 'field.site_name': 'East tank' });
    expect(Object.keys(rows[0])).not.toContain('field.inspector');
  });

  test('an admin without the export permission has no Exports page', async ({ page, baseURL, adminToken }) => {
    const reader = await createAdminWithPermissions(baseURL!, adminToken, ['plugin::eas.read']);
    await new AdminPage(page).logIn(reader.email, reader.password);
    await page.goto('/admin/plugins/eas');
    const nav = page.getByRole('navigation', { name: 'EAS' });
    await expect(nav.getByRole('link', { name: 'Records' })).toBeVisible();
    await expect(nav.getByRole('link', { name: 'Exports' })).toHaveCount(0);
    await expect(nav.getByRole('link', { name: 'Webhooks' })).toHaveCount(0);
    await page.goto('/admin/plugins/eas/exports');
    await expect(page.getByText("You don't have the permissions to access that content")).toBeVisible();
    await expect(page.getByRole('region', { name: 'New export' })).toHaveCount(0);
  });
});
