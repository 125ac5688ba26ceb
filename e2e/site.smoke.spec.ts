import { expect, test } from './fixtures';
import { SitePage } from './pages/SitePage';

test.describe('capture site on a phone', () => {
  test('field staff sign in and see the forms an administrator published', async ({ page, fieldStaff, publishForm }) => {
    const name = `Water point check ${Date.now().toString(36)}`;
    await publishForm(name);
    const site = new SitePage(page);

    await site.open();
    await expect(page).toHaveTitle('EAS — field capture');
    await site.signIn(fieldStaff.username, fieldStaff.password);

    await expect(site.formsHeading()).toBeVisible();
    await expect(site.form(name)).toBeVisible();
    await expect(page.getByText(`${name} — created by the browser test`)).toBeVisible();

    // The session survives a reload.
    await page.reload();
    await expect(site.form(name)).toBeVisible();

    await site.signOut();
    await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
  });

  test('a wrong password gets a clear message, not a crash', async ({ page, fieldStaff }) => {
    const site = new SitePage(page);
    await site.open();
    await site.signIn(fieldStaff.username, 'not-the-password');
    await expect(site.error()).toHaveText('Wrong email/username or password.');
    await expect(page.getByLabel('Email or username')).toBeFocused();
  });
});
