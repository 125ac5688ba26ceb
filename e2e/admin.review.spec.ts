import { createAndPublishForm, createEditor, submitRecord } from '../cms/tests/harness';
import { expect, seriousViolations, test } from './fixtures';
import { AdminPage } from './pages/AdminPage';

test.describe('editors review records in the admin', () => {
  test('an editor opens a submitted record, reads it with its labels and approves it', async ({
    page,
    baseURL,
    adminToken,
    fieldStaff,
    publishForm,
  }) => {
    const slug = await publishForm(`Review form ${Date.now().toString(36)}`);
    const record = await submitRecord(baseURL!, fieldStaff.jwt, slug, { notes: 'Gate hinge broken' });
    const editor = await createEditor(baseURL!, adminToken);

    const admin = new AdminPage(page);
    await admin.logIn(editor.email, editor.password);
    await admin.openRecordList();
    await expect(page.getByRole('gridcell', { name: record.reference })).toBeVisible();

    await admin.openRecord(record.documentId);
    const panel = admin.recordPanel();
    await expect(panel.getByText('Captured data')).toBeVisible();
    await expect(panel.getByText('Notes', { exact: true })).toBeVisible();
    await expect(panel.getByText('Gate hinge broken')).toBeVisible();
    await expect(page.getByTestId('eas-record-status')).toHaveText('Submitted');

    await panel.getByRole('button', { name: 'Approve' }).click();
    await expect(page.getByText('Record approved')).toBeVisible();
    await expect(page.getByTestId('eas-record-status')).toHaveText('Approved');
    await expect(panel.getByRole('button', { name: 'Approve' })).toHaveCount(0);

    const res = await page.request.get(`/api/eas/records/${record.documentId}`, { headers: { Authorization: `Bearer ${fieldStaff.jwt}` } });
    expect((await res.json()).data.status).toBe('approved');
  });

  test('an editor lands on the dashboard, opens the oldest submitted record from the queue, approves it at the top and goes on to the next', async ({
    page,
    baseURL,
    adminToken,
    fieldStaff,
  }) => {
    const name = `Queue form ${Date.now().toString(36)}`;
    const slug = name.toLowerCase().replace(/[^a-z0-9]+/g, '-');
    await createAndPublishForm(baseURL!, adminToken, {
      name,
      slug,
      fields: [
        { key: 'site', label: 'Site name', type: 'text', required: true },
        { key: 'notes', label: 'Notes', type: 'textarea', required: false },
      ],
    });
    const older = await submitRecord(baseURL!, fieldStaff.jwt, slug, { site: 'North well', notes: 'Cracked lid' });
    const newer = await submitRecord(baseURL!, fieldStaff.jwt, slug, { site: 'South well', notes: 'Fine' });
    const editor = await createEditor(baseURL!, adminToken);
    await page.setViewportSize({ width: 1366, height: 900 });
    const admin = new AdminPage(page);
    await admin.logIn(editor.email, editor.password);
    await admin.openEas();
    await expect(page.getByTestId('eas-latest')).toBeVisible();
    const serious = () => seriousViolations(page);
    expect(await serious()).toEqual([]);
    await page.screenshot({ path: test.info().outputPath('dashboard.png') });

    // The queue: what waits, oldest first, with the key answer (filtered to this test's form by its link).
    await page.getByRole('link', { name: 'Review records' }).click();
    await expect(page.getByRole('heading', { name: 'Records', level: 1 })).toBeVisible();
    await page.goto(`/admin/plugins/eas/records?form=${slug}`);
    const rows = page.getByTestId('eas-queue').getByRole('row');
    await expect(rows).toHaveCount(3);
    await expect(rows.nth(1)).toContainText(older.reference);
    await expect(rows.nth(1)).toContainText('North well');
    expect(await serious()).toEqual([]);
    await page.screenshot({ path: test.info().outputPath('queue.png') });
    await rows.nth(1).getByRole('link', { name: older.reference }).click();

    // The record page: the answers as people read them, the decision at the top of the page.
    await expect(page.getByRole('heading', { name: older.reference, level: 1 })).toBeVisible();
    await expect(page.getByText('Cracked lid')).toBeVisible();
    const approve = page.getByTestId('eas-review-bar').getByRole('button', { name: 'Approve (Alt+A)' });
    await expect(approve).toBeInViewport();
    expect(await serious()).toEqual([]);
    await page.screenshot({ path: test.info().outputPath('record.png'), fullPage: true });
    await approve.click();
    await expect(page.getByTestId('eas-review-status')).toHaveText('Approved');

    // Next: the following record of the same queue; Alt+A approves it from the keyboard.
    await page.getByRole('button', { name: 'Next record (Alt+N)' }).click();
    await expect(page.getByRole('heading', { name: newer.reference, level: 1 })).toBeVisible();
    await page.keyboard.press('Alt+A');
    await expect(page.getByTestId('eas-review-status')).toHaveText('Approved');
    await page.getByRole('button', { name: 'Next record (Alt+N)' }).click();
    await expect(page.getByText('Nothing else waits in this queue.')).toBeVisible();
    for (const r of [older, newer]) {
      const res = await page.request.get(`/api/eas/records/${r.documentId}`, { headers: { Authorization: `Bearer ${fieldStaff.jwt}` } });
      expect((await res.json()).data.status).toBe('approved');
    }
  });
});
