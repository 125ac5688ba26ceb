import { createEditor, submitRecord } from '../cms/tests/harness';
import { expect, test } from './fixtures';
import { AdminPage } from './pages/AdminPage';

test.describe('live dashboard', () => {
  test('a new submission appears on an open dashboard without a reload', async ({ page, baseURL, adminToken, fieldStaff, publishForm }) => {
    const slug = await publishForm(`Live form ${Date.now().toString(36)}`);
    const editor = await createEditor(baseURL!, adminToken);
    const admin = new AdminPage(page);
    await admin.logIn(editor.email, editor.password);
    await admin.openEas();
    await expect(page.getByTestId('eas-connection')).toHaveText('Live');
    const today = page.getByTestId('eas-today');
    const before = Number((await today.locator('p').innerText()).trim());

    const record = await submitRecord(baseURL!, fieldStaff.jwt, slug, { notes: 'Live one' });

    await expect(page.getByTestId('eas-latest').getByRole('link', { name: record.reference })).toBeVisible();
    await expect(today.locator('p')).toHaveText(String(before + 1));
    await page.getByTestId('eas-latest').getByRole('link', { name: record.reference }).click();
    await expect(page.getByRole('heading', { name: record.reference })).toBeVisible();
  });
});
