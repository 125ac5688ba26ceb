import QRCode from 'qrcode';
import { createAndPublishForm } from '../cms/tests/harness';
import { expect, test } from './fixtures';
import { SitePage } from './pages/SitePage';

const unique = () => Date.now().toString(36);

test.describe('a location and a barcode on a phone', () => {
  test('the location comes from the GPS with its accuracy (or is typed when refused), the code is read from a photo of it', async ({
    page,
    request,
    baseURL,
    adminToken,
    fieldStaff,
  }) => {
    const name = `Meter check ${unique()}`;
    const slug = name.toLowerCase().replace(/[^a-z0-9]+/g, '-');
    await createAndPublishForm(baseURL!, adminToken, {
      name,
      slug,
      fields: [
        { key: 'where', label: 'Meter location', type: 'geopoint', required: true, max: 50 },
        { key: 'serial', label: 'Meter code', type: 'barcode', required: true },
      ],
      frontPhoto: { enabled: false },
      backPhoto: { enabled: false },
      signatures: [],
    });
    await page.context().grantPermissions(['geolocation'], { origin: new URL(baseURL!).origin });
    await page.context().setGeolocation({ latitude: -1.2921, longitude: 36.8219, accuracy: 12 });

    // The decoder is served by the site (never a CDN): any request elsewhere would fail here and show up.
    const elsewhere: string[] = [];
    page.on('request', (r) => {
      if (new URL(r.url()).origin !== new URL(baseURL!).origin && !r.url().startsWith('data:') && !r.url().startsWith('blob:'))
        elsewhere.push(r.url());
    });
    const site = new SitePage(page);
    await site.open();
    await site.signIn(fieldStaff.username, fieldStaff.password);
    await site.startCapture(name);

    await page.getByRole('button', { name: 'Use my location' }).click();
    await expect(page.getByText('Location found, accurate to ± 12 m')).toBeVisible();
    await expect(page.getByLabel('Latitude')).toHaveValue('-1.2921');
    await expect(page.getByLabel('Longitude')).toHaveValue('36.8219');

    // A photo of the meter's QR code, read on the phone (zxing-wasm: headless Chromium has no BarcodeDetector).
    const qr = await QRCode.toBuffer('EAS-METER-0042', { type: 'png', width: 360, margin: 4 });
    const chooser = page.waitForEvent('filechooser');
    await page.getByRole('button', { name: 'Read from a photo' }).click();
    await (await chooser).setFiles({ name: 'code.png', mimeType: 'image/png', buffer: qr });
    await expect(page.getByLabel('Meter code')).toHaveValue('EAS-METER-0042', { timeout: 20_000 });
    await expect(page.getByText('Code read. Check it above.')).toBeVisible();
    expect(elsewhere).toEqual([]);

    await site.review();
    await expect(page.locator('[data-review-list]').getByText('-1.292100, 36.821900 (± 12 m)')).toBeVisible();
    const clientId = site.clientId();
    await site.submit();
    await expect(page.getByRole('heading', { name: 'Submitted' })).toBeVisible({ timeout: 30_000 });
    const list = await request.get(`/api/eas/records?form=${slug}&pageSize=100`, {
      headers: { Authorization: `Bearer ${fieldStaff.jwt}` },
    });
    const [mine] = ((await list.json()).data as { clientId: string; data: Record<string, unknown> }[]).filter(
      (r) => r.clientId === clientId
    );
    expect(mine.data).toEqual({ where: '-1.292100 36.821900 0.0 12.0', serial: 'EAS-METER-0042' });

    // On a phone that refuses the location, the coordinates are typed instead (stored without an accuracy).
    await page.context().clearPermissions();
    await page.goto(`/capture/?form=${slug}`);
    await expect(page.getByRole('heading', { name, level: 1 })).toBeVisible();
    await page.getByRole('button', { name: 'Use my location' }).click();
    await expect(page.getByText('Location is not allowed on this phone. Type the latitude and longitude instead.')).toBeVisible();
    await page.getByLabel('Latitude').fill('51.5007');
    await page.getByLabel('Longitude').fill('-0.1246');
    await expect(page.getByText('Typed by hand (no accuracy)')).toBeVisible();
    await page.getByLabel('Meter code').fill('TYPED-7');
    await site.review();
    await expect(page.locator('[data-review-list]').getByText('51.500700, -0.124600')).toBeVisible();
  });
});
