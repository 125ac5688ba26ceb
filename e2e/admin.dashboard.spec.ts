import { createAndPublishForm, createEditor, submitRecord } from '../cms/tests/harness';
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

  test('an editor lands on the dashboard after signing in, finds the latest submission on top with its key answer and time, and on the home page', async ({
    page,
    baseURL,
    adminToken,
    fieldStaff,
  }) => {
    const name = `Keyed form ${Date.now().toString(36)}`;
    const slug = name.toLowerCase().replace(/[^a-z0-9]+/g, '-');
    await createAndPublishForm(baseURL!, adminToken, {
      name,
      slug,
      fields: [
        { key: 'site', label: 'Site name', type: 'text', required: true },
        { key: 'notes', label: 'Notes', type: 'textarea', required: false },
      ],
    });
    const record = await submitRecord(baseURL!, fieldStaff.jwt, slug, { site: 'Pump house 3', notes: 'Fine' });
    const editor = await createEditor(baseURL!, adminToken);
    const admin = new AdminPage(page);
    await admin.logIn(editor.email, editor.password);

    // An EAS editor lands on the EAS dashboard after signing in; Strapi's home stays reachable and its EAS widget
    // lists the record by its key answer and leads back to the dashboard.
    await expect(page).toHaveURL(/\/admin\/plugins\/eas$/);
    await expect(page.getByTestId('eas-latest')).toBeVisible();
    await page.getByRole('link', { name: 'Home' }).first().click();
    const widget = page.getByTestId('eas-widget-latest');
    await expect(widget.getByRole('link', { name: record.reference })).toBeVisible();
    await expect(widget).toContainText('Pump house 3');
    await page.getByRole('link', { name: 'Open the EAS dashboard' }).click();

    // The dashboard: latest submissions first, the newest on top with its key answer and time.
    const latest = page.getByTestId('eas-latest');
    const first = latest.getByRole('row').nth(1);
    await expect(first.getByRole('link', { name: record.reference })).toBeVisible();
    await expect(first).toContainText('Pump house 3');
    await expect(first.getByRole('gridcell').nth(1)).toHaveText(/\d{1,2}:\d{2}/);
    const top = await latest.boundingBox();
    const counters = await page.getByTestId('eas-today').boundingBox();
    expect(top!.y).toBeLessThan(counters!.y);
  });
});
