import { expect, seriousViolations, test } from './fixtures';
import { AdminPage } from './pages/AdminPage';
import { EasFormBuilder } from './pages/EasFormBuilder';
import { SitePage } from './pages/SitePage';

const CONSENT = 'I confirm what I saw on this site.';

test.describe('the EAS form builder', () => {
  test('an administrator builds the reference form with a live preview, publishes it in ≤ 25 actions, and the site renders it', async ({
    browser,
    page,
    baseURL,
    fieldStaff,
  }) => {
    test.setTimeout(120_000);
    const name = `Builder visit ${Date.now().toString(36)}`;
    const desk = await (await browser.newContext({ viewport: { width: 1440, height: 900 }, baseURL })).newPage();
    await new AdminPage(desk).logIn(process.env.EAS_ADMIN_EMAIL!, process.env.EAS_ADMIN_PASSWORD!);

    const builder = new EasFormBuilder(desk);
    await builder.create();
    await builder.name(name);
    await builder.add('Short text', 'Site name');
    await builder.required();
    await builder.add('Whole number', 'People present');
    await builder.limits('0', '50');
    await builder.add('One choice', 'Condition');
    await builder.options('Good', 'Poor');
    await builder.add('Date', 'Repair by');
    await builder.showIf('Condition', 'Poor');
    await builder.signature('Inspector', CONSENT);

    // The preview renders the draft with the site's renderer: show-if and errors behave as on the phone.
    const preview = builder.preview();
    await expect(preview.getByRole('heading', { name, level: 1 })).toBeVisible();
    await expect(preview.getByLabel('Repair by')).toBeHidden();
    await preview.getByLabel('Condition').selectOption('Poor');
    await expect(preview.getByLabel('Repair by')).toBeVisible();
    await preview.getByLabel('People present').fill('99');
    await preview.getByRole('button', { name: 'Check answers' }).click();
    await expect(preview.getByText('People present must be at most 50')).toBeVisible();
    await expect(preview.getByText('Site name is required')).toBeVisible();
    await desk.screenshot({ path: test.info().outputPath('builder.png'), fullPage: true });
    expect(await seriousViolations(desk)).toEqual([]);

    const summary = await builder.publish(1);
    expect(summary).toContain('Creates version 1');
    console.log(`[builder] the reference form took ${builder.actions} actions to build and publish (goal ≤ 25; 54 in the Content Manager)`);
    expect(builder.actions).toBeLessThanOrEqual(25);

    // The list shows it published; a change makes Publish say version 2 and what changed.
    await desk.getByRole('link', { name: 'Forms' }).first().click();
    await expect(desk.getByRole('row').filter({ hasText: name })).toContainText('Published');
    await desk.getByRole('link', { name }).click();
    await expect(builder.preview().getByRole('heading', { name, level: 1 })).toBeVisible();
    await desk.getByRole('button', { name: /^Condition/ }).click();
    await desk.getByRole('button', { name: 'Remove choice 2' }).click();
    await desk.getByRole('button', { name: 'Publish…' }).click();
    const dialog = desk.getByRole('dialog');
    await expect(dialog.getByRole('heading', { name: 'Publish version 2' })).toBeVisible();
    await expect(dialog.getByTestId('eas-publish-summary')).toContainText('Question “Condition” changed: options');
    await expect(dialog.getByTestId('eas-publish-warning')).toContainText('“Condition”: a choice was removed');
    await desk.screenshot({ path: test.info().outputPath('publish-dialog.png') });
    await dialog.getByRole('button', { name: 'Cancel' }).click();

    // Field staff get version 1 on the phone, rendered by the same code.
    const site = new SitePage(page);
    await site.open();
    await site.signIn(fieldStaff.username, fieldStaff.password);
    await site.startCapture(name);
    await expect(page.getByLabel('Site name')).toBeVisible();
    await expect(page.getByLabel('Repair by')).toBeHidden();
    await page.getByLabel('Condition').selectOption('Poor');
    await expect(page.getByLabel('Repair by')).toBeVisible();
    await expect(page.getByText('Front photo').first()).toBeVisible();
    await expect(page.getByText(CONSENT)).toBeVisible();
  });

  test('cascading choices are built in the builder: attributes on each choice and a choice filter, tried in the preview', async ({
    browser,
    baseURL,
  }) => {
    const desk = await (await browser.newContext({ viewport: { width: 1440, height: 900 }, baseURL })).newPage();
    await new AdminPage(desk).logIn(process.env.EAS_ADMIN_EMAIL!, process.env.EAS_ADMIN_PASSWORD!);
    const builder = new EasFormBuilder(desk);
    await builder.create();
    await builder.name(`Cascade ${Date.now().toString(36)}`);
    await builder.add('One choice', 'Region');
    await builder.options('North', 'South');
    await builder.add('One choice', 'District');
    await builder.options('Kisumu', 'Nakuru');
    await desk.getByRole('button', { name: /^More rules/ }).click();
    await desk.getByRole('textbox', { name: 'Attributes (e.g. region=north)' }).nth(0).fill('region=north');
    await desk.getByRole('textbox', { name: 'Attributes (e.g. region=north)' }).nth(1).fill('region=south');
    await desk.getByRole('textbox', { name: 'Offer only the choices where (expression)' }).fill('region = ${region}');

    const preview = builder.preview();
    await preview.getByLabel('Region').selectOption('North');
    const district = preview.getByLabel('District');
    await expect(district.locator('option:not([hidden])')).toHaveText(['Choose…', 'Kisumu']);
    await preview.getByLabel('Region').selectOption('South');
    await expect(district.locator('option:not([hidden])')).toHaveText(['Choose…', 'Nakuru']);
  });

  test('the forms list and the builder have no serious accessibility violations', async ({ page, baseURL, adminToken }) => {
    void adminToken;
    await page.setViewportSize({ width: 1440, height: 900 });
    await new AdminPage(page).logIn(process.env.EAS_ADMIN_EMAIL!, process.env.EAS_ADMIN_PASSWORD!);
    await page.goto(`${baseURL}/admin/plugins/eas/forms`);
    await expect(page.getByRole('heading', { name: 'Forms', level: 1 })).toBeVisible();
    await page.screenshot({ path: test.info().outputPath('forms.png') });
    expect(await seriousViolations(page)).toEqual([]);
  });
});
