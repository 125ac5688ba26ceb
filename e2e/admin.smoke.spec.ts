import { expect, test } from './fixtures';
import { AdminPage } from './pages/AdminPage';

test.describe('admin panel', () => {
  test('an administrator logs in and opens the EAS overview', async ({ page, publishForm }) => {
    await publishForm(`Overview form ${Date.now().toString(36)}`);
    const admin = new AdminPage(page);
    await admin.logIn(process.env.EAS_ADMIN_EMAIL!, process.env.EAS_ADMIN_PASSWORD!);
    await admin.openEas();

    await expect(page.getByRole('heading', { name: 'Evidence capture' })).toBeVisible();
    await expect(page.getByTestId('eas-forms')).toContainText(/\d+ published of \d+/);
    await expect(page.getByTestId('eas-state-submitted')).toContainText('Submitted');
    await expect(page.getByRole('link', { name: 'Review records' })).toBeVisible();
  });
});
