import { createEditor, submitRecord } from '../cms/tests/harness';
import { expect, test } from './fixtures';
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
});
