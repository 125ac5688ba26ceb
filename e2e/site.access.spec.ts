import { expect, test } from './fixtures';
import { SitePage } from './pages/SitePage';

test.describe('the capture site for everyone', () => {
  test('a rate-limited sign-in says to wait, never shows raw JSON', async ({ page, fieldStaff }) => {
    await page.route('**/api/auth/local', (route) =>
      route.fulfill({
        status: 429,
        contentType: 'application/json',
        body: JSON.stringify({
          data: null,
          error: { status: 429, name: 'RateLimitError', message: 'Too many requests, please try again later.', details: {} },
        }),
      })
    );
    const site = new SitePage(page);
    await site.open();
    await site.signIn(fieldStaff.username, fieldStaff.password);
    await expect(site.error()).toHaveText('Too many attempts. Please wait a minute and try again.');
  });

  test('on a 320 px wide phone the form fits the screen and works with the keyboard alone', async ({
    page,
    fieldStaff,
    publishCaptureForm,
  }) => {
    const form = await publishCaptureForm(`Narrow screen ${Date.now().toString(36)}`);
    await page.setViewportSize({ width: 320, height: 640 });
    const site = new SitePage(page);
    await site.open();
    await site.signIn(fieldStaff.username, fieldStaff.password);
    await site.startCapture(form.name);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(320);

    await page.getByLabel('Site name').focus();
    await page.keyboard.type('Kiosk 12');
    await page.keyboard.press('Tab');
    await expect(page.getByLabel('Condition')).toBeFocused();

    // Review from the keyboard: the first problem gets the focus and its message is tied to the input.
    await page.getByLabel('Site name').fill('');
    await page.getByRole('button', { name: 'Review', exact: true }).focus();
    await page.keyboard.press('Enter');
    const siteName = page.getByLabel('Site name');
    await expect(siteName).toBeFocused();
    await expect(siteName).toHaveAttribute('aria-invalid', 'true');
    await expect(siteName).toHaveAccessibleDescription(/Site name is required/);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(320);
  });
});
