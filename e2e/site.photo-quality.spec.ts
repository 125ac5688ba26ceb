import type { APIRequestContext, Page } from '@playwright/test';
import sharp from 'sharp';
import { expect, seriousViolations, test } from './fixtures';
import { SitePage } from './pages/SitePage';

const unique = () => Date.now().toString(36);

const FRONT = 'Front of the meter';

/** A uniform dark grey 1600×1200 JPEG: too dark, and (no edges at all) blurred. */
const darkPhoto = () =>
  sharp({ create: { width: 1600, height: 1200, channels: 3, background: { r: 28, g: 28, b: 28 } } })
    .jpeg({ quality: 85 })
    .toBuffer();

/** A 1600×1200 JPEG of coarse random texture, mid-grey on average: sharp and well exposed. */
const goodPhoto = () => {
  const [w, h] = [400, 300];
  const noise = Buffer.alloc(w * h * 3);
  for (let i = 0; i < noise.length; i++) noise[i] = 40 + Math.floor(Math.random() * 176);
  return sharp(noise, { raw: { width: w, height: h, channels: 3 } })
    .resize(1600, 1200, { kernel: 'nearest' })
    .jpeg({ quality: 90 })
    .toBuffer();
};

/** Makes the camera unavailable (refused), so the slot offers its file input. */
const refuseCamera = (page: Page) =>
  page.addInitScript(() => {
    navigator.mediaDevices.getUserMedia = () => Promise.reject(new DOMException('Permission denied', 'NotAllowedError'));
  });

/** The front slot switched to its file input (the camera refused), and choosing a photo in it. */
const frontWithFilePicker = async (site: SitePage) => {
  const slot = site.slot(FRONT);
  await slot.getByRole('button', { name: 'Open camera' }).click();
  await expect(slot.getByText('Camera permission was denied')).toBeVisible();
  const choose = (buffer: Buffer) =>
    slot.getByLabel(`Take or choose a photo: ${FRONT}`).setInputFiles({ name: 'meter.jpg', mimeType: 'image/jpeg', buffer });
  return { slot, choose };
};

/** Signs in with the camera refused and opens the form. */
const startWithoutCamera = async (page: Page, user: { username: string; password: string }, formName: string) => {
  await refuseCamera(page);
  const site = new SitePage(page);
  await site.open();
  await site.signIn(user.username, user.password);
  await site.startCapture(formName);
  return { site, ...(await frontWithFilePicker(site)) };
};

const recordView = async (request: APIRequestContext, jwt: string, slug: string, clientId: string) => {
  const headers = { Authorization: `Bearer ${jwt}` };
  const list = await request.get(`/api/eas/records?form=${slug}&pageSize=100`, { headers });
  expect(list.status()).toBe(200);
  const [{ documentId }] = ((await list.json()).data as { clientId: string; documentId: string }[]).filter((r) => r.clientId === clientId);
  const res = await request.get(`/api/eas/records/${documentId}`, { headers });
  expect(res.status()).toBe(200);
  return (await res.json()).data as {
    status: string;
    photos: { side: string; quality: { flags: string[]; overridden: string[] } | null }[];
  };
};

test.describe("the phone's photo quality check", () => {
  test('a dark, blurred photo is held back with Retake and Use anyway; Retake clears it, and a sharp photo passes', async ({
    page,
    fieldStaff,
    publishCaptureForm,
  }) => {
    const form = await publishCaptureForm(`Quality check ${unique()}`, { back: false, signature: false });
    const { slot, choose } = await startWithoutCamera(page, fieldStaff, form.name);

    await choose(await darkPhoto());
    const warning = slot.getByRole('alert');
    await expect(warning).toContainText('The photo is too dark.');
    await expect(warning).toContainText('The photo looks blurred.');
    await expect(slot.getByRole('img', { name: `${FRONT}: captured photo` })).toBeVisible();
    await expect(slot.getByRole('button', { name: 'Retake' })).toBeFocused();
    await expect(slot.getByRole('button', { name: 'Use anyway' })).toBeVisible();
    await expect(slot.getByText(/^Photo ready/)).toBeHidden();
    await page.mouse.move(0, 0);
    expect(await seriousViolations(page)).toEqual([]);

    // Held back: the record has no front photo yet.
    await page.getByRole('button', { name: 'Review', exact: true }).click();
    await expect(slot.getByText(`${FRONT} is required. Take the photo.`)).toBeVisible();

    await slot.getByRole('button', { name: 'Retake' }).click();
    await expect(warning).toHaveCount(0);
    await expect(slot.getByRole('button', { name: 'Use anyway' })).toBeHidden();
    await expect(slot.getByLabel(`Take or choose a photo: ${FRONT}`)).toBeFocused();

    await choose(await goodPhoto());
    await expect(slot.getByText('Photo ready (1600×1200).')).toBeVisible();
    await expect(warning).toHaveCount(0);
    await expect(slot.getByRole('button', { name: 'Use anyway' })).toBeHidden();
  });

  test('a dark photo kept with Use anyway is submitted, and the server records the warnings overridden', async ({
    page,
    request,
    fieldStaff,
    publishCaptureForm,
  }) => {
    const form = await publishCaptureForm(`Quality override ${unique()}`, { back: false, signature: false });
    const { site, slot, choose } = await startWithoutCamera(page, fieldStaff, form.name);
    await site.fillFields({ site: 'Dark cellar', condition: 'Good' });

    await choose(await darkPhoto());
    await expect(slot.getByRole('alert')).toContainText('The photo is too dark.');
    await slot.getByRole('button', { name: 'Use anyway' }).click();
    await expect(slot.getByRole('alert')).toHaveCount(0);
    await expect(slot.getByText('Photo ready (1600×1200).')).toBeVisible();

    await site.review();
    const clientId = site.clientId();
    await site.submit();
    await expect(page.getByRole('heading', { name: 'Submitted' })).toBeVisible({ timeout: 30_000 });

    const record = await recordView(request, fieldStaff.jwt, form.slug, clientId);
    expect(record.status).toBe('submitted');
    const front = record.photos.find((p) => p.side === 'front')!;
    // The phone and the server measure alike: what the person overrode is what the server flags.
    expect(front.quality?.overridden.sort()).toEqual(['blurred', 'dark']);
    expect(front.quality?.flags).toEqual(expect.arrayContaining(['blurred', 'dark']));
  });

  test('with no connection the check still runs: its worker is part of the precached site', async ({
    page,
    context,
    fieldStaff,
    publishCaptureForm,
  }) => {
    const form = await publishCaptureForm(`Quality offline ${unique()}`, { back: false, signature: false });
    await refuseCamera(page);
    const site = new SitePage(page);
    await site.open();
    await site.signIn(fieldStaff.username, fieldStaff.password);
    await expect(site.form(form.name)).toBeVisible();
    await page.waitForFunction(async () => Boolean((await navigator.serviceWorker.ready) && navigator.serviceWorker.controller));

    await context.setOffline(true);
    await site.startCapture(form.name);
    const { slot, choose } = await frontWithFilePicker(site);
    await choose(await darkPhoto());
    await expect(slot.getByRole('alert')).toContainText('The photo is too dark.');
    await choose(await goodPhoto());
    await expect(slot.getByText('Photo ready (1600×1200).')).toBeVisible();
  });

  test('a slot that allows no override offers only Retake', async ({ page, fieldStaff, publishCaptureForm }) => {
    const form = await publishCaptureForm(`Quality strict ${unique()}`, { back: false, signature: false, allowOverride: false });
    const { slot, choose } = await startWithoutCamera(page, fieldStaff, form.name);

    await choose(await darkPhoto());
    const warning = slot.getByRole('alert');
    await expect(warning).toContainText('The photo is too dark.');
    await expect(warning).toContainText('This form needs a better photo here: retake it.');
    await expect(slot.getByRole('button', { name: 'Retake' })).toBeVisible();
    await expect(slot.getByRole('button', { name: 'Use anyway' })).toBeHidden();
    await page.mouse.move(0, 0);
    expect(await seriousViolations(page)).toEqual([]);
  });
});
