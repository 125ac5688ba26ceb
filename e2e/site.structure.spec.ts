import { createAndPublishForm } from '../cms/tests/harness';
import { expect, test } from './fixtures';
import { SitePage } from './pages/SitePage';

const unique = () => Date.now().toString(36);

test.describe('a long form on a phone', () => {
  test('a form in pages with a group and a repeat: Next checks the page, entries are added, removed and kept over a reload, the total adds them up', async ({
    page,
    request,
    baseURL,
    adminToken,
    fieldStaff,
  }) => {
    const name = `Meter round ${unique()}`;
    const slug = name.toLowerCase().replace(/[^a-z0-9]+/g, '-');
    await createAndPublishForm(baseURL!, adminToken, {
      name,
      slug,
      pages: true,
      fields: [
        { key: 'visit', label: 'The visit', type: 'group' },
        { key: 'site_name', label: 'Site name', type: 'text', required: true, group: 'visit' },
        { key: 'room_photo', label: 'Meter room', type: 'photo', required: true, group: 'visit', help: 'The whole room, door open.' },
        { key: 'region', label: 'Region', type: 'select', required: true, group: 'visit', options: 'north|North\nsouth|South' },
        {
          key: 'district',
          label: 'District',
          type: 'select',
          required: true,
          group: 'visit',
          options: 'n1|North 1|region=north\nn2|North 2|region=north\ns1|South 1|region=south',
          choiceFilter: 'region = ${region}',
        },
        { key: 'meters', label: 'Meter', type: 'repeat', min: 1, max: 3, help: 'One entry per meter on the site.' },
        { key: 'serial', label: 'Serial number', type: 'text', required: true, group: 'meters' },
        { key: 'reading', label: 'Reading', type: 'decimal', required: true, group: 'meters' },
        { key: 'faulty', label: 'Faulty', type: 'checkbox', group: 'meters' },
        { key: 'fault', label: 'What is wrong', type: 'text', required: true, group: 'meters', relevant: '${faulty}' },
        { key: 'total', label: 'Total of the readings', type: 'decimal', calculation: 'sum(${reading})' },
      ],
      frontPhoto: { enabled: false },
      backPhoto: { enabled: false },
      signatures: [],
    });

    const site = new SitePage(page);
    await site.open();
    await site.signIn(fieldStaff.username, fieldStaff.password);
    await site.startCapture(name);

    // Page 1: Next refuses an empty required field and says so beside it.
    await expect(page.getByText('Page 1 of 3')).toBeVisible();
    await expect(page.getByRole('button', { name: 'Review', exact: true })).toBeHidden();
    await page.getByRole('button', { name: 'Next' }).click();
    await expect(page.getByText('Site name is required')).toBeVisible();
    await expect(page.getByLabel('Site name')).toBeFocused();
    await page.getByLabel('Site name').fill('Pump house 7');
    // A cascading choice: the districts offered follow the region; a district of another region is cleared.
    const offered = async () =>
      page
        .getByLabel('District')
        .locator('option:not([hidden])')
        .evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).label));
    await page.getByLabel('Region').selectOption({ label: 'North' });
    expect(await offered()).toEqual(['Choose…', 'North 1', 'North 2']);
    await page.getByLabel('District').selectOption({ label: 'North 2' });
    await page.getByLabel('Region').selectOption({ label: 'South' });
    await expect(page.getByLabel('District')).toHaveValue('');
    expect(await offered()).toEqual(['Choose…', 'South 1']);
    await page.getByLabel('District').selectOption({ label: 'South 1' });
    // A photo question among the fields: Next asks for it too, then it is taken like the front and back photos.
    await page.getByRole('button', { name: 'Next' }).click();
    await expect(site.slot('Meter room').getByText('Meter room is required. Take the photo.')).toBeVisible();
    await expect(site.slot('Meter room').getByText('The whole room, door open.').first()).toBeVisible();
    await site.captureFromCamera('Meter room');
    await page.getByRole('button', { name: 'Next' }).click();

    // Page 2: the repeat starts with the one entry it needs; each entry asks its own questions.
    await expect(page.getByText('Page 2 of 3')).toBeVisible();
    await expect(page.getByLabel('Site name')).toBeHidden();
    const entry = (n: number) => page.getByRole('group', { name: `Meter ${n}`, exact: true });
    await expect(entry(1)).toBeVisible();
    await expect(entry(2)).toHaveCount(0);
    await entry(1).getByLabel('Serial number').fill('A1');
    await entry(1).getByLabel('Reading').fill('12.5');
    await page.getByRole('button', { name: 'Add Meter' }).click();
    await entry(2).getByLabel('Serial number').fill('B2');
    await entry(2).getByLabel('Reading').fill('7.5');
    await expect(entry(2).getByLabel('What is wrong')).toBeHidden();
    await entry(2).getByLabel('Faulty').check();
    await expect(entry(2).getByLabel('What is wrong')).toBeVisible();
    await expect(entry(1).getByLabel('What is wrong')).toBeHidden();
    await page.getByRole('button', { name: 'Next' }).click();
    await expect(page.getByText('Meter 2: What is wrong is required')).toBeVisible();
    await entry(2).getByLabel('What is wrong').fill('Cracked glass');
    await page.getByRole('button', { name: 'Add Meter' }).click();
    await entry(3).getByLabel('Serial number').fill('C3');
    await entry(3).getByLabel('Reading').fill('1');
    await expect(page.getByRole('button', { name: 'Add Meter' })).toBeDisabled();

    // Removing the first entry renumbers the others, and the draft on the phone keeps them through a reload.
    await entry(1).getByRole('button', { name: 'Remove Meter 1' }).click();
    await expect(entry(3)).toHaveCount(0);
    await expect(entry(1).getByLabel('Serial number')).toHaveValue('B2');
    await expect(entry(1).getByLabel('What is wrong')).toHaveValue('Cracked glass');
    await expect(entry(2).getByLabel('Serial number')).toHaveValue('C3');
    await page.reload();
    await expect(page.getByText('Page 1 of 3')).toBeVisible();
    await expect(page.getByLabel('Site name')).toHaveValue('Pump house 7');
    await page.getByRole('button', { name: 'Next' }).click();
    await expect(entry(1).getByLabel('Serial number')).toHaveValue('B2');
    await expect(entry(2).getByLabel('Reading')).toHaveValue('1');
    await page.getByRole('button', { name: 'Next' }).click();

    // Page 3: the total of the entries, computed; then the review lists each entry.
    await expect(page.getByText('Page 3 of 3')).toBeVisible();
    await expect(page.getByLabel('Total of the readings')).toHaveValue('8.5');
    await site.review();
    const review = page.locator('[data-review-list]');
    await expect(review.getByText('Meter 2', { exact: true })).toBeVisible();
    await expect(review.getByText('Cracked glass')).toBeVisible();
    await expect(review.getByText('8.5')).toBeVisible();
    const clientId = site.clientId();
    await site.submit();
    await expect(page.getByRole('heading', { name: 'Submitted' })).toBeVisible({ timeout: 30_000 });

    const list = await request.get(`/api/eas/records?form=${slug}&pageSize=100`, {
      headers: { Authorization: `Bearer ${fieldStaff.jwt}` },
    });
    expect(list.status()).toBe(200);
    const [mine] = ((await list.json()).data as { clientId: string; documentId: string }[]).filter((r) => r.clientId === clientId);
    const view = await request.get(`/api/eas/records/${mine.documentId}`, { headers: { Authorization: `Bearer ${fieldStaff.jwt}` } });
    expect(view.status()).toBe(200);
    const record = (await view.json()).data as { status: string; data: Record<string, unknown>; photos: { side: string }[] };
    expect(record.status).toBe('submitted');
    expect(record.photos.map((p) => p.side)).toEqual(['room_photo']);
    expect(record.data).toEqual({
      site_name: 'Pump house 7',
      region: 'south',
      district: 's1',
      meters: [
        { serial: 'B2', reading: 7.5, faulty: true, fault: 'Cracked glass' },
        { serial: 'C3', reading: 1, faulty: false },
      ],
      total: 8.5,
    });
  });
});
