import { createEditor, submitRecord } from '../cms/tests/harness';
import { expect, test } from './fixtures';
import { SitePage } from './pages/SitePage';

test.describe('live status on the phone', () => {
  test('field staff see an editor’s rejection, with the comment, without reloading', async ({
    page,
    baseURL,
    adminToken,
    fieldStaff,
    publishForm,
  }) => {
    const slug = await publishForm(`Live status ${Date.now().toString(36)}`);
    const record = await submitRecord(baseURL!, fieldStaff.jwt, slug, { notes: 'Gate checked' });
    const site = new SitePage(page);
    await site.open();
    await site.signIn(fieldStaff.username, fieldStaff.password);
    const row = page.getByRole('listitem').filter({ hasText: record.reference });
    await expect(row).toContainText('Submitted');

    const editor = await createEditor(baseURL!, adminToken);
    const res = await page.request.post(`/eas/records/${record.documentId}/review`, {
      headers: { Authorization: `Bearer ${editor.token}` },
      data: { decision: 'reject', comment: 'Please photograph the padlock too' },
    });
    expect(res.status()).toBe(200);

    await expect(row).toContainText('Rejected');
    await expect(row).toContainText('Please photograph the padlock too');
  });
});
