import { createEditor, submitRecord } from '../cms/tests/harness';
import { readPdf } from '../cms/tests/pdf-reader';
import { expect, test } from './fixtures';
import { AdminPage } from './pages/AdminPage';

test.describe('editors export PDFs', () => {
  test('an editor downloads a record as a PDF from its page', async ({ page, baseURL, adminToken, fieldStaff, publishForm }) => {
    const slug = await publishForm(`Export form ${Date.now().toString(36)}`);
    const record = await submitRecord(baseURL!, fieldStaff.jwt, slug, { notes: 'Fence cut near gate 4' });
    const editor = await createEditor(baseURL!, adminToken);
    const admin = new AdminPage(page);
    await admin.logIn(editor.email, editor.password);
    await admin.openRecord(record.documentId);

    const download = await admin.exportPdf();
    expect(download.suggestedFilename()).toBe(`${record.reference}.pdf`);
    const pdf = await readPdf(Buffer.from(await (await download.createReadStream()).toArray().then((c) => Buffer.concat(c))));
    expect(pdf.flat).toContain(record.reference);
    expect(pdf.flat).toContain('Fence cut near gate 4');
  });

  test('an editor exports the selected records as a ZIP and watches the progress', async ({
    page,
    baseURL,
    adminToken,
    fieldStaff,
    publishForm,
  }) => {
    const slug = await publishForm(`Bulk form ${Date.now().toString(36)}`);
    for (const n of [1, 2]) await submitRecord(baseURL!, fieldStaff.jwt, slug, { notes: `Bulk ${n}` });
    const editor = await createEditor(baseURL!, adminToken);
    const admin = new AdminPage(page);
    await admin.logIn(editor.email, editor.password);
    await admin.openRecordList();
    await page
      .getByRole('checkbox', { name: /select all/i })
      .first()
      .check();
    await page.getByRole('button', { name: 'Export PDFs' }).click();
    const dialog = page.getByRole('dialog');
    await expect(dialog.getByTestId('eas-export-progress')).toBeVisible();
    const downloadPromise = page.waitForEvent('download');
    await dialog.getByRole('button', { name: 'Download ZIP' }).click();
    const zip = await downloadPromise;
    expect(zip.suggestedFilename()).toMatch(/^eas-export-\d{4}-\d{2}-\d{2}\.zip$/);
  });
});
