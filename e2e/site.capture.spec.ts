import { createHash } from 'node:crypto';
import type { APIRequestContext } from '@playwright/test';
import sharp from 'sharp';
import { expect, test } from './fixtures';
import { SitePage } from './pages/SitePage';

const unique = () => Date.now().toString(36);

/** The caller's records of one form with this clientId, straight from the API. */
const recordsFor = async (request: APIRequestContext, jwt: string, slug: string, clientId: string) => {
  const res = await request.get(`/api/eas/records?form=${slug}&pageSize=100`, { headers: { Authorization: `Bearer ${jwt}` } });
  expect(res.status()).toBe(200);
  return ((await res.json()).data as { clientId: string; documentId: string }[]).filter((r) => r.clientId === clientId);
};

const recordView = async (request: APIRequestContext, jwt: string, documentId: string) => {
  const res = await request.get(`/api/eas/records/${documentId}`, { headers: { Authorization: `Bearer ${jwt}` } });
  expect(res.status()).toBe(200);
  return (await res.json()).data as {
    status: string;
    data: Record<string, unknown>;
    photos: { side: string; sha256: string; originalSha256: string }[];
    signatures: { slot: string; sha256: string; signerName: string }[];
  };
};

test.describe('capturing a record on a phone', () => {
  test('field staff fill a form, photograph front and back, get a signature, review and submit with receipts', async ({
    page,
    request,
    fieldStaff,
    publishCaptureForm,
  }) => {
    const form = await publishCaptureForm(`Meter reading ${unique()}`);
    const site = new SitePage(page);
    await site.open();
    await site.signIn(fieldStaff.username, fieldStaff.password);
    await site.startCapture(form.name);

    // Reviewing too early: errors beside the fields, focus on the first one.
    await page.getByRole('button', { name: 'Review', exact: true }).click();
    await expect(page.getByLabel('Site name')).toBeFocused();
    await expect(page.getByText('5 things need your attention')).toBeVisible();
    await expect(site.slot('Front of the meter').getByText('Front of the meter is required. Take the photo.')).toBeVisible();

    // The show-if field appears only for "Poor".
    await expect(page.getByLabel('What needs fixing')).toBeHidden();
    await site.fillFields({ site: 'Pump house 7', condition: 'Poor' });
    await expect(page.getByLabel('What needs fixing')).toBeVisible();
    await page.getByLabel('What needs fixing').fill('Cracked glass on the meter');

    await expect(site.slot('Front of the meter').getByText('Fill the frame with the meter face.').first()).toBeVisible();
    await site.captureFromCamera('Front of the meter');
    await site.captureFromCamera('Back of the meter');
    await expect(site.slot('Signature of the client').getByText(form.consentText)).toBeVisible();
    await site.sign('client', 'Ada Client');

    await site.review();
    await expect(page.getByText('Pump house 7')).toBeVisible();
    await expect(page.getByText('Cracked glass on the meter')).toBeVisible();
    await expect(page.getByRole('img', { name: 'Signature of Ada Client (review)' })).toBeVisible();
    const clientId = site.clientId();
    await site.submit();

    await expect(page.getByRole('heading', { name: 'Submitted' })).toBeVisible({ timeout: 30_000 });
    await expect(site.receipts()).toHaveCount(3);
    for (const receipt of await site.receipts().all()) await expect(receipt).toContainText('✓ Received, SHA-256');
    const shown = await page.locator('[data-receipts] code').allTextContents();

    const [{ documentId }] = await recordsFor(request, fieldStaff.jwt, form.slug, clientId);
    const record = await recordView(request, fieldStaff.jwt, documentId);
    expect(record.status).toBe('submitted');
    expect(record.data).toEqual({ site: 'Pump house 7', condition: 'poor', details: 'Cracked glass on the meter' });
    expect(record.photos.map((p) => p.side).sort()).toEqual(['back', 'front']);
    expect(record.signatures).toHaveLength(1);
    expect(record.signatures[0].signerName).toBe('Ada Client');
    expect(shown.sort()).toEqual([...record.photos.map((p) => p.sha256), record.signatures[0].sha256].sort());

    // Home lists the record as submitted, and nothing waits.
    await page.getByRole('link', { name: 'Back to home' }).click();
    await expect(page.getByRole('status').filter({ hasText: 'Nothing waiting to sync' })).toBeVisible();
    await expect(page.locator('[data-records] li').filter({ hasText: form.name }).getByText('Submitted')).toBeVisible();
  });

  test('with no connection the record is queued, survives a reload, and is sent exactly once when the connection returns', async ({
    page,
    context,
    request,
    fieldStaff,
    publishCaptureForm,
  }) => {
    const form = await publishCaptureForm(`Offline reading ${unique()}`);
    const site = new SitePage(page);
    await site.open();
    await site.signIn(fieldStaff.username, fieldStaff.password);
    await expect(site.form(form.name)).toBeVisible();
    // The service worker has precached the app shell and controls the page.
    await page.waitForFunction(async () => Boolean((await navigator.serviceWorker.ready) && navigator.serviceWorker.controller));

    await context.setOffline(true);
    await site.startCapture(form.name);
    await site.fillFields({ site: 'Remote well 3', condition: 'Good' });
    await site.captureFromCamera('Front of the meter');
    await site.captureFromCamera('Back of the meter');
    await site.sign('client', 'Omar Offline');
    await site.review();
    const clientId = site.clientId();
    await site.submit();

    // Saved on the phone is the normal state offline, said calmly (Chromium's offline emulation does not always
    // change navigator.onLine; the failed attempt itself says there is no connection).
    await expect(page.getByRole('heading', { name: 'Saved on this phone' })).toBeVisible();
    await expect(page.getByText(/Saved on this phone\. (There is no internet now|The server cannot be reached now)/)).toBeVisible();
    await expect(page.locator('[data-result-error]')).toBeHidden();
    await expect(page.getByText(/Nothing is lost/).first()).toBeVisible();
    await expect(site.syncCount()).toHaveText('1 record saved on this phone — it will be sent automatically.');

    // Still offline: the service worker serves the page, and the queue is still there.
    await page.reload();
    await expect(page.getByRole('heading', { name: 'Saved on this phone' })).toBeVisible();
    await expect(site.syncCount()).toHaveText('1 record saved on this phone — it will be sent automatically.');
    expect(await recordsFor(request, fieldStaff.jwt, form.slug, clientId)).toHaveLength(0);

    await context.setOffline(false);
    await expect(page.getByRole('heading', { name: 'Submitted' })).toBeVisible({ timeout: 30_000 });
    await expect(site.receipts().filter({ hasText: '✓ Received' })).toHaveCount(3);
    await expect(page.getByRole('status').filter({ hasText: 'Nothing waiting to sync' })).toBeVisible();

    const records = await recordsFor(request, fieldStaff.jwt, form.slug, clientId);
    expect(records).toHaveLength(1);
    expect((await recordView(request, fieldStaff.jwt, records[0].documentId)).status).toBe('submitted');
  });

  test('when the camera is refused, the photo is taken with the file picker instead', async ({
    page,
    request,
    fieldStaff,
    publishCaptureForm,
  }) => {
    const form = await publishCaptureForm(`Picker reading ${unique()}`, { back: false, signature: false });
    await page.addInitScript(() => {
      navigator.mediaDevices.getUserMedia = () => Promise.reject(new DOMException('Permission denied', 'NotAllowedError'));
    });
    const jpeg = await sharp({ create: { width: 1600, height: 1200, channels: 3, background: { r: 40, g: 120, b: 90 } } })
      .jpeg({ quality: 85 })
      .toBuffer();

    const site = new SitePage(page);
    await site.open();
    await site.signIn(fieldStaff.username, fieldStaff.password);
    await site.startCapture(form.name);
    await site.fillFields({ site: 'Depot gate', condition: 'Good' });

    const slot = site.slot('Front of the meter');
    await slot.getByRole('button', { name: 'Open camera' }).click();
    await expect(slot.getByText('Camera permission was denied')).toBeVisible();
    await slot
      .getByLabel('Take or choose a photo: Front of the meter')
      .setInputFiles({ name: 'meter.jpg', mimeType: 'image/jpeg', buffer: jpeg });
    await expect(slot.getByRole('img', { name: 'Front of the meter: captured photo' })).toBeVisible();
    // A flat test picture: the phone's quality check holds it back as blurred until the person keeps it.
    await slot.getByRole('button', { name: 'Use anyway' }).click();

    await site.review();
    const clientId = site.clientId();
    await site.submit();
    await expect(page.getByRole('heading', { name: 'Submitted' })).toBeVisible({ timeout: 30_000 });

    const [{ documentId }] = await recordsFor(request, fieldStaff.jwt, form.slug, clientId);
    const record = await recordView(request, fieldStaff.jwt, documentId);
    expect(record.status).toBe('submitted');
    // The device fingerprinted the original bytes it was given.
    expect(record.photos[0].originalSha256).toBe(createHash('sha256').update(jpeg).digest('hex'));
  });

  test('a value changed after the signature asks for the signature again, and the record is sent with the new one over what the signer saw', async ({
    page,
    request,
    fieldStaff,
    publishCaptureForm,
  }) => {
    const form = await publishCaptureForm(`Signed reading ${unique()}`, { back: false });
    const site = new SitePage(page);
    await site.open();
    await site.signIn(fieldStaff.username, fieldStaff.password);
    await site.startCapture(form.name);
    await site.fillFields({ site: 'Pump house 8', condition: 'Good' });
    await site.captureFromCamera('Front of the meter');
    await site.sign('client', 'Ada Client');

    // The site name is corrected after the client signed.
    await page.getByLabel('Site name').fill('Pump house 9');
    await page.getByRole('button', { name: 'Review', exact: true }).click();
    const slot = site.slot('Signature of the client');
    await expect(
      slot.getByText('The record changed after the client signed. Show them the record again and ask them to sign again.')
    ).toBeVisible();
    await expect(page.getByRole('heading', { name: 'Review before sending' })).toBeHidden();

    await site.sign('client', 'Ada Client');
    await site.review();
    const clientId = site.clientId();
    await site.submit();
    await expect(page.getByRole('heading', { name: 'Submitted' })).toBeVisible({ timeout: 30_000 });

    const [{ documentId }] = await recordsFor(request, fieldStaff.jwt, form.slug, clientId);
    const res = await request.get(`/api/eas/records/${documentId}`, { headers: { Authorization: `Bearer ${fieldStaff.jwt}` } });
    const record = (await res.json()).data as {
      status: string;
      data: { site: string };
      contentHash: string;
      signatures: { contentHash: string; bound: boolean }[];
    };
    expect(record).toMatchObject({ status: 'submitted', data: { site: 'Pump house 9' } });
    // The phone computed the same content hash the server holds: the signature endorses the corrected record.
    expect(record.signatures).toEqual([expect.objectContaining({ contentHash: record.contentHash, bound: true })]);
  });
});
