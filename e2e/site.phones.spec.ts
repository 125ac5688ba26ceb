import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { devices, type APIRequestContext, type Page } from '@playwright/test';
import { createEditor, createFieldStaff } from '../cms/tests/harness';
import { readPdf } from '../cms/tests/pdf-reader';
import { expect, test } from './fixtures';
import { AdminPage } from './pages/AdminPage';
import { SitePage } from './pages/SitePage';

const unique = () => Date.now().toString(36);

/** The caller's own records with this clientId, straight from the API (the server's word on who owns what). */
const ownRecords = async (request: APIRequestContext, jwt: string, clientId: string) => {
  const res = await request.get('/api/eas/records?pageSize=100', { headers: { Authorization: `Bearer ${jwt}` } });
  expect(res.status()).toBe(200);
  return (
    (await res.json()).data as { clientId: string; documentId: string; status: string; reference: string; data: Record<string, unknown> }[]
  ).filter((r) => r.clientId === clientId);
};

/** Fills and signs the capture form offline-capable way every test here uses. */
const captureRecord = async (site: SitePage, formName: string, siteName: string) => {
  await site.startCapture(formName);
  await site.fillFields({ site: siteName, condition: 'Good' });
  await site.captureFromCamera('Front of the meter');
  await site.captureFromCamera('Back of the meter');
  await site.sign('client', 'Ada Client');
  await site.review();
  const clientId = site.clientId();
  await site.submit();
  return clientId;
};

const acceptDialogs = (page: Page) => page.on('dialog', (d) => void d.accept());

test.describe('field staff on a shared phone', () => {
  test('a record waiting for one person is never sent or shown by another who signs in on the same phone', async ({
    page,
    context,
    request,
    baseURL,
    adminToken,
    fieldStaff: amina,
    publishCaptureForm,
  }) => {
    test.setTimeout(120_000);
    const form = await publishCaptureForm(`Shared phone ${unique()}`);
    const ben = await createFieldStaff(baseURL!, adminToken);
    acceptDialogs(page);
    const site = new SitePage(page);
    await site.open();
    await site.signIn(amina.username, amina.password);
    await expect(site.form(form.name)).toBeVisible();
    await page.waitForFunction(async () => Boolean((await navigator.serviceWorker.ready) && navigator.serviceWorker.controller));

    // Amina captures offline; the record waits on the phone. She signs out (asked first, as records wait).
    await context.setOffline(true);
    const clientId = await captureRecord(site, form.name, 'Amina well 1');
    await expect(page.getByRole('heading', { name: 'Saved on this phone' })).toBeVisible();
    await page.getByRole('link', { name: 'Back to home' }).click();
    let asked = '';
    page.once('dialog', (d) => void (asked = d.message()));
    await site.signOut();
    await expect(page.getByLabel('Email or username')).toBeVisible();
    expect(asked).toContain('1 record has not been sent yet');
    await context.setOffline(false);

    // The sign-in page says whose record waits; Ben signs in and sees nothing of hers, and her record is not sent.
    await expect(page.getByText(`1 record of ${amina.username} waits to be sent — sign in as ${amina.username} to send it.`)).toBeVisible();
    await site.signIn(ben.username, ben.password);
    await expect(site.form(form.name)).toBeVisible();
    await expect(page.getByRole('listitem').filter({ hasText: 'Amina well 1' })).toHaveCount(0);
    await expect(page.getByText('No records yet.')).toBeVisible();
    // Nor can he open her capture by its address: the page starts an empty capture of his own.
    await page.goto(`/capture/?form=${form.slug}&draft=${clientId}`);
    await expect(page.getByLabel('Site name')).toHaveValue('');
    await page.goto('/');
    await expect(site.form(form.name)).toBeVisible();
    expect(await ownRecords(request, ben.jwt, clientId)).toHaveLength(0);
    expect(await ownRecords(request, amina.jwt, clientId)).toHaveLength(0);

    // Amina signs in again later: her record is sent, under her name.
    await site.signOut();
    await site.signIn(amina.username, amina.password);
    await expect(page.getByRole('listitem').filter({ hasText: 'Amina well 1' })).toContainText('Submitted', { timeout: 30_000 });
    const [mine] = await ownRecords(request, amina.jwt, clientId);
    expect(mine.status).toBe('submitted');
    expect(await ownRecords(request, ben.jwt, clientId)).toHaveLength(0);
  });

  test('the session survives a browser restart, and the waiting record is sent after it', async ({
    browser,
    request,
    fieldStaff,
    publishCaptureForm,
  }, testInfo) => {
    test.setTimeout(120_000);
    const form = await publishCaptureForm(`Restart ${unique()}`);
    const profile = await mkdtemp(path.join(tmpdir(), 'eas-phone-'));
    const options = testInfo.project.use;
    const launch = () =>
      browser.browserType().launchPersistentContext(profile, {
        ...devices['Pixel 7'],
        baseURL: options.baseURL,
        executablePath: options.launchOptions?.executablePath,
        args: options.launchOptions?.args,
        permissions: ['camera'],
      });
    try {
      let phone = await launch();
      let page = phone.pages()[0] ?? (await phone.newPage());
      let site = new SitePage(page);
      await site.open();
      await site.signIn(fieldStaff.username, fieldStaff.password);
      await expect(site.form(form.name)).toBeVisible();
      const refresh = (await phone.cookies()).find((c) => c.name === 'strapi_up_refresh');
      // A persistent cookie (it has an expiry, about 30 days out), HttpOnly: the page's scripts never see it.
      expect(refresh?.httpOnly).toBe(true);
      expect(refresh!.expires * 1000 - Date.now()).toBeGreaterThan(29 * 24 * 3600 * 1000);
      await page.waitForFunction(async () => Boolean((await navigator.serviceWorker.ready) && navigator.serviceWorker.controller));
      await phone.setOffline(true);
      const clientId = await captureRecord(site, form.name, 'Restart pump 2');
      await expect(page.getByRole('heading', { name: 'Saved on this phone' })).toBeVisible();
      await phone.close();

      // The phone's system closed the browser. Opened again, online: still signed in, the record goes out.
      phone = await launch();
      page = phone.pages()[0] ?? (await phone.newPage());
      site = new SitePage(page);
      await site.open();
      await expect(site.form(form.name)).toBeVisible();
      const renewed = await page.evaluate(
        async () =>
          (await fetch('/api/auth/refresh', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' })).status
      );
      expect(renewed).toBe(200);
      await expect(page.getByRole('listitem').filter({ hasText: 'Restart pump 2' })).toContainText('Submitted', { timeout: 30_000 });
      expect((await ownRecords(request, fieldStaff.jwt, clientId))[0].status).toBe('submitted');
      await phone.close();
    } finally {
      await rm(profile, { recursive: true, force: true });
    }
  });
});

test.describe('a stolen refresh token', () => {
  test('presented again after it was rotated, it ends the session on the phone too', async ({
    page,
    context,
    request,
    fieldStaff,
    publishForm,
  }) => {
    const name = `Reuse ${unique()}`;
    await publishForm(name);
    const site = new SitePage(page);
    await site.open();
    await site.signIn(fieldStaff.username, fieldStaff.password);
    await expect(site.form(name)).toBeVisible();
    const stolen = (await context.cookies()).find((c) => c.name === 'strapi_up_refresh')!.value;
    // The phone renews its session (the refresh token rotates); later the thief presents the old one.
    expect(
      await page.evaluate(
        async () =>
          (await fetch('/api/auth/refresh', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' })).status
      )
    ).toBe(200);
    const replay = await request.post('/api/auth/refresh', {
      headers: { Cookie: `strapi_up_refresh=${stolen}`, 'Content-Type': 'application/json' },
      data: {},
    });
    expect(replay.status()).toBe(401);

    // The whole session is revoked: the phone's access token (minutes from expiry) stops working on EAS at once,
    // and the phone asks to sign in again.
    const access = await page.evaluate(() => JSON.parse(localStorage.getItem('eas.session') ?? 'null')?.jwt as string);
    const forms = await request.get('/api/eas/forms', { headers: { Authorization: `Bearer ${access}` } });
    expect(forms.status()).toBe(401);
    expect((await forms.json()).error.message).toBe('Your session has ended: sign in again');
    await page.reload();
    await expect(page.getByLabel('Email or username')).toBeVisible();
    await expect(site.form(name)).toHaveCount(0);
  });
});

test.describe('the records list on the phone', () => {
  test('a rejected record is on top with the comment, is fixed and resent, and the editor approves it live', async ({
    browser,
    page,
    request,
    baseURL,
    adminToken,
    fieldStaff,
    publishCaptureForm,
  }) => {
    test.setTimeout(150_000);
    const form = await publishCaptureForm(`Fix and resend ${unique()}`);
    const site = new SitePage(page);
    await site.open();
    await site.signIn(fieldStaff.username, fieldStaff.password);
    const clientId = await captureRecord(site, form.name, 'Wrong name');
    await expect(page.getByRole('heading', { name: 'Submitted' })).toBeVisible({ timeout: 30_000 });
    await page.getByRole('link', { name: 'Back to home' }).click();
    const [sent] = await ownRecords(request, fieldStaff.jwt, clientId);

    const editor = await createEditor(baseURL!, adminToken);
    const review = (decision: string, comment: string) =>
      request.post(`/eas/records/${sent.documentId}/review`, {
        headers: { Authorization: `Bearer ${editor.token}` },
        data: { decision, comment },
      });
    // The editor watches the live dashboard on a desk.
    const desk = await browser.newContext({ viewport: { width: 1366, height: 900 }, baseURL });
    const dashboard = await desk.newPage();
    const editorAdmin = new AdminPage(dashboard);
    await editorAdmin.logIn(editor.email, editor.password);
    await editorAdmin.openEas();
    await expect(dashboard.getByTestId('eas-connection')).toHaveText('Live');
    const count = async (state: string) => Number((await dashboard.getByTestId(`eas-state-${state}`).locator('p').innerText()).trim());
    const submittedBefore = await count('submitted');
    expect((await review('reject', 'The site is called Pump house 9')).status()).toBe(200);
    await expect(dashboard.getByTestId('eas-state-submitted').locator('p')).toHaveText(String(submittedBefore - 1));

    // Live, without a reload: first in the list, with the comment and the way to fix it.
    const first = page.locator('[data-records] > li').first();
    await expect(first).toContainText('Rejected — fix and resend');
    await expect(first).toContainText('The site is called Pump house 9');
    await first.getByRole('link', { name: 'Fix and resend' }).click();

    await expect(page.getByText('Rejected by the editor.')).toBeVisible();
    await expect(page.getByLabel('Site name')).toHaveValue('Wrong name');
    await expect(page.getByRole('img', { name: 'Front of the meter (on the server)' })).toBeVisible();
    await page.getByLabel('Site name').fill('Pump house 9');
    // The content changed: the signature on the server no longer endorses it.
    await page.getByRole('button', { name: 'Review', exact: true }).click();
    await expect(site.slot('Signature of the client').getByText('The record changed since the client signed')).toBeVisible();
    await site.sign('client', 'Ada Client');
    await site.review();
    await site.submit();
    await expect(page.getByRole('heading', { name: 'Submitted' })).toBeVisible({ timeout: 30_000 });

    const [resent] = await ownRecords(request, fieldStaff.jwt, clientId);
    expect(resent).toMatchObject({ documentId: sent.documentId, status: 'submitted', data: { site: 'Pump house 9' } });
    // The editor sees it arrive again, live: back among the submitted ones, first in the latest submissions.
    await expect(dashboard.getByTestId('eas-state-submitted').locator('p')).toHaveText(String(submittedBefore));
    await expect(dashboard.getByTestId('eas-latest').getByRole('link').first()).toHaveText(sent.reference);
    await desk.close();
    await page.getByRole('link', { name: 'Back to home' }).click();
    expect((await review('approve', 'Thanks')).status()).toBe(200);
    await expect(page.getByRole('listitem').filter({ hasText: 'Pump house 9' })).toContainText('Approved');
  });

  test('a submitted record opens read-only with its photos, signature, receipts and PDF receipt', async ({
    page,
    request,
    fieldStaff,
    publishCaptureForm,
  }) => {
    test.setTimeout(120_000);
    const form = await publishCaptureForm(`Open record ${unique()}`);
    const site = new SitePage(page);
    await site.open();
    await site.signIn(fieldStaff.username, fieldStaff.password);
    const clientId = await captureRecord(site, form.name, 'North gate');
    await expect(page.getByRole('heading', { name: 'Submitted' })).toBeVisible({ timeout: 30_000 });
    await page.getByRole('link', { name: 'Back to home' }).click();
    const [sent] = await ownRecords(request, fieldStaff.jwt, clientId);

    await page.getByRole('link', { name: 'North gate' }).click();
    await expect(page.getByRole('heading', { name: 'North gate', level: 1 })).toBeVisible();
    await expect(page.getByText('Submitted — awaiting review')).toBeVisible();
    await expect(page.getByRole('img', { name: 'Front of the meter' })).toBeVisible();
    await expect(page.getByRole('img', { name: 'Signature of Ada Client' })).toBeVisible();
    await expect(page.locator('[data-receipts] li')).toHaveCount(4);
    await expect(page.getByRole('main').locator('input, textarea, select')).toHaveCount(0);

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download the PDF receipt' }).click(),
    ]);
    const pdf = await readPdf(Buffer.concat(await (await download.createReadStream()).toArray()));
    expect(pdf.dense).toContain(sent.reference);
    expect(pdf.dense).toContain('Northgate');
  });

  test('an untouched form leaves no draft; a draft with answers is listed and can be deleted after asking', async ({
    page,
    fieldStaff,
    publishCaptureForm,
  }) => {
    const form = await publishCaptureForm(`Drafts ${unique()}`);
    const site = new SitePage(page);
    await site.open();
    await site.signIn(fieldStaff.username, fieldStaff.password);
    await site.startCapture(form.name);
    await page.goto('/');
    await expect(page.getByText('No records yet.')).toBeVisible();

    await site.startCapture(form.name);
    await page.getByLabel('Site name').fill('Half done');
    await page.goto('/');
    const row = page.getByRole('listitem').filter({ hasText: 'Half done' });
    await expect(row).toContainText('Draft — not sent');
    let asked = '';
    page.once('dialog', (d) => {
      asked = d.message();
      void d.accept();
    });
    await row.getByRole('button', { name: 'Delete draft' }).click();
    await expect(row).toHaveCount(0);
    expect(asked).toContain('Delete "Half done"?');
    await page.reload();
    await expect(page.getByText('No records yet.')).toBeVisible();
  });

  test('says calmly what is going on: saved on the phone, server unreachable, never "no records" it could not load', async ({
    page,
    context,
    fieldStaff,
    publishCaptureForm,
  }) => {
    test.setTimeout(120_000);
    const form = await publishCaptureForm(`Wording ${unique()}`);
    const site = new SitePage(page);
    await site.open();
    await site.signIn(fieldStaff.username, fieldStaff.password);
    await expect(site.form(form.name)).toBeVisible();
    await page.waitForFunction(async () => Boolean((await navigator.serviceWorker.ready) && navigator.serviceWorker.controller));
    await context.setOffline(true);
    await captureRecord(site, form.name, 'Quiet valley');
    await expect(page.getByRole('heading', { name: 'Saved on this phone' })).toBeVisible();
    // Chromium's offline emulation does not always change navigator.onLine; the failed attempt itself says it.
    await expect(page.getByText(/Saved on this phone\. (There is no internet now|The server cannot be reached now)/)).toBeVisible();
    await expect(page.locator('[data-result-error]')).toBeHidden();
    await page.getByRole('link', { name: 'Back to home' }).click();
    await expect(page.getByRole('listitem').filter({ hasText: 'Quiet valley' })).toContainText(
      'Saved on this phone — will send automatically'
    );

    // Online, but the server does not answer: the list says so and shows what is on the phone.
    await context.route('**/api/**', (route) => route.abort('connectionrefused'));
    await context.setOffline(false);
    await page.reload();
    await expect(page.getByText('The server could not be reached: showing what is on this phone.', { exact: false })).toBeVisible();
    await expect(page.getByText('No records yet.')).toHaveCount(0);
    await context.unroute('**/api/**');
  });
});
