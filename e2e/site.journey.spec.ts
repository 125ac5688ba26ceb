import { createEditor } from '../cms/tests/harness';
import { readPdf } from '../cms/tests/pdf-reader';
import { expect, test } from './fixtures';
import { AdminPage } from './pages/AdminPage';
import { FormBuilder } from './pages/FormBuilder';
import { SitePage } from './pages/SitePage';

const CONSENT = 'I confirm the meter was read in my presence.';

/**
 * The main journey, on production builds: an administrator builds and publishes a form in the admin UI; field staff
 * capture a record with the fake camera on a phone; an editor watching the live dashboard sees it arrive, approves
 * it (the phone shows "Approved" live) and exports the PDF, whose integrity hash the verify route confirms.
 */
test('an administrator publishes a form, field staff capture a record, an editor approves and exports it', async ({
  browser,
  page,
  baseURL,
  adminToken,
  fieldStaff,
}) => {
  test.setTimeout(180_000);
  const name = `Journey meter ${Date.now().toString(36)}`;
  const slug = name.toLowerCase().replace(/[^a-z0-9]+/g, '-');
  const desk = await browser.newContext({ viewport: { width: 1366, height: 900 }, baseURL });
  const adminPage = await desk.newPage();

  // 1. The administrator builds the form in the Content Manager and publishes it.
  const admin = new AdminPage(adminPage);
  await admin.logIn(process.env.EAS_ADMIN_EMAIL!, process.env.EAS_ADMIN_PASSWORD!);
  const builder = new FormBuilder(adminPage);
  await builder.open();
  await builder.setBasics(name, slug, 'Monthly meter check');
  await builder.addField({ key: 'site', label: 'Site name', required: true });
  await builder.addField({ key: 'reading', label: 'Reading (kWh)', type: 'number', min: '0', max: '99999' });
  await builder.addField({ key: 'condition', label: 'Condition', type: 'select', required: true, options: 'good|Good\npoor|Poor' });
  await builder.addField({ key: 'visit_date', label: 'Visit date', type: 'date', max: '0' });
  await builder.addField({
    key: 'details',
    label: 'What needs fixing',
    type: 'textarea',
    required: true,
    showIfField: 'condition',
    showIfEquals: 'poor',
  });
  await builder.addPhoto('Front photo', 'Front of the meter', 'Fill the frame with the meter face.');
  await builder.addPhoto('Back photo', 'Back of the meter', 'Show the seal and the serial number.');
  await builder.addSignature('client', 'client', CONSENT);
  await builder.saveAndPublish();
  await adminPage.screenshot({ path: test.info().outputPath('1-form-published.png') });

  // The editor watches the dashboard.
  const editor = await createEditor(baseURL!, adminToken);
  const editorPage = await (await browser.newContext({ viewport: { width: 1366, height: 900 }, baseURL })).newPage();
  const editorAdmin = new AdminPage(editorPage);
  await editorAdmin.logIn(editor.email, editor.password);
  await editorAdmin.openEas();
  await expect(editorPage.getByTestId('eas-connection')).toHaveText('Live');

  // 2. Field staff capture on the phone.
  const site = new SitePage(page);
  await site.open();
  await site.signIn(fieldStaff.username, fieldStaff.password);
  await site.startCapture(name);
  await site.fillFields({ site: 'Pump house 7', condition: 'Poor', details: 'Cracked glass' });
  await page.getByLabel('Reading (kWh)').fill('4521');
  await site.captureFromCamera('Front of the meter');
  await site.captureFromCamera('Back of the meter');
  await site.sign('client', 'Ada Client');
  await site.review();
  await site.submit();
  await expect(site.receipts()).toHaveCount(3);
  await page.screenshot({ path: test.info().outputPath('2-submitted.png') });

  // 3. The submission appears live on the dashboard, with its thumbnail; the editor approves it.
  const latest = editorPage.getByTestId('eas-latest');
  const row = latest.getByRole('row').filter({ hasText: name });
  await expect(row).toBeVisible({ timeout: 20_000 });
  await expect(row.locator('img')).toBeVisible();
  const reference = (await row.getByRole('link').innerText()).trim();
  await row.getByRole('link').click();
  await expect(editorPage.getByRole('heading', { name: reference })).toBeVisible();
  // The dashboard leads to the record's review page: the decision at the top.
  await editorPage.getByRole('button', { name: 'Approve (Alt+A)' }).click();
  await expect(editorPage.getByTestId('eas-review-status')).toHaveText('Approved');
  await editorPage.screenshot({ path: test.info().outputPath('3-approved.png') });

  await site.open();
  const mine = page.getByRole('listitem').filter({ hasText: reference });
  await expect(mine).toContainText('Approved');

  // 4. The editor exports the PDF; it holds the values, the photos, the signature, the hash; verify says match.
  const download = await editorAdmin.exportPdf();
  const pdf = await readPdf(Buffer.concat(await (await download.createReadStream()).toArray()));
  for (const text of [reference, 'Pump house 7', '4521', 'Poor', 'Cracked glass', 'Ada Client', CONSENT])
    expect(pdf.dense).toContain(text.replace(/\s+/g, ''));
  expect(pdf.images).toBeGreaterThanOrEqual(3);
  const hash = pdf.dense.match(/\(SHA-256overtherecordanditsfiles\):([a-f0-9]{64})/)?.[1];
  expect(hash).toBeTruthy();
  const verify = await page.request.get(`/api/eas/verify/${reference}?hash=${hash}`);
  expect((await verify.json()).data).toMatchObject({ reference, match: true, status: 'approved' });
});
