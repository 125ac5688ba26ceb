import type { Page, TestInfo } from '@playwright/test';
import { createAndPublishForm } from '../cms/tests/harness';
import { expect, test } from './fixtures';
import { SitePage } from './pages/SitePage';

/** A screenshot of the page as the person sees it: kept in the test's output folder and attached to its report. */
const attachScreenshot = async (page: Page, testInfo: TestInfo, name: string) => {
  const file = testInfo.outputPath(name);
  await page.screenshot({ path: file, fullPage: true });
  await testInfo.attach(name, { path: file, contentType: 'image/png' });
};

const box = async (page: Page, selector: string) => {
  const b = await page.locator(selector).boundingBox();
  if (!b) throw new Error(`${selector} is not on screen`);
  return b;
};

/** The forms the person can capture, as the API lists them (other tests publish forms too). */
const formCount = async (baseURL: string, jwt: string) => {
  const res = await fetch(`${baseURL}/api/eas/forms`, { headers: { Authorization: `Bearer ${jwt}` } });
  expect(res.status).toBe(200);
  const body = (await res.json()) as { data: unknown[] };
  return body.data.length;
};

test.describe('the capture site in the phone’s language', () => {
  test.use({ locale: 'fr-FR' });

  test('a French phone gets the site in French; the switch turns it to Arabic, right to left, and it stays so', async ({
    page,
  }, testInfo) => {
    const site = new SitePage(page);
    await site.open();

    const html = page.locator('html');
    await expect(html).toHaveAttribute('lang', 'fr');
    await expect(html).toHaveAttribute('dir', 'ltr');
    await expect(page).toHaveTitle('EAS — collecte sur le terrain');
    await expect(page.getByRole('heading', { name: 'Connexion', level: 1 })).toBeVisible();
    await expect(page.getByText('Utilisez le compte fourni par votre organisation.')).toBeVisible();
    await expect(page.getByLabel('E-mail ou nom d’utilisateur')).toBeVisible();
    await expect(page.getByLabel('Mot de passe')).toBeVisible();
    await expect(page.getByRole('button', { name: 'Se connecter' })).toBeVisible();
    const languageSwitch = page.getByRole('combobox', { name: 'Langue' });
    await expect(languageSwitch).toHaveValue('fr');
    // Left to right: the brand starts the top bar, the switch ends it.
    expect((await box(page, '.brand')).x).toBeLessThan((await box(page, 'eas-language-switch')).x);
    await attachScreenshot(page, testInfo, 'sign-in-fr.png');

    // Checked in the browser: a message the page writes itself (not static markup).
    await page.getByRole('button', { name: 'Se connecter' }).click();
    await expect(page.getByRole('alert')).toHaveText('Saisissez votre e-mail ou nom d’utilisateur et votre mot de passe.');

    await languageSwitch.selectOption('ar');
    await expect(html).toHaveAttribute('lang', 'ar');
    await expect(html).toHaveAttribute('dir', 'rtl');
    await expect(page).toHaveTitle('EAS — الجمع الميداني');
    await expect(page.getByRole('heading', { name: 'تسجيل الدخول', level: 1 })).toBeVisible();
    await expect(page.getByLabel('كلمة المرور')).toBeVisible();
    await expect(page.getByRole('combobox', { name: 'اللغة' })).toHaveValue('ar');
    // Mirrored: the brand is on the right of the top bar now, the switch on its left.
    const viewport = page.viewportSize()!;
    const brand = await box(page, '.brand');
    const languageBox = await box(page, 'eas-language-switch');
    expect(brand.x).toBeGreaterThan(languageBox.x);
    expect(brand.x + brand.width).toBeGreaterThan(viewport.width / 2);
    expect(languageBox.x + languageBox.width).toBeLessThan(viewport.width / 2);
    await attachScreenshot(page, testInfo, 'sign-in-ar.png');

    // Kept on the phone: a reload (and the French browser) does not undo the choice.
    await page.reload();
    await expect(html).toHaveAttribute('lang', 'ar');
    await expect(html).toHaveAttribute('dir', 'rtl');
    await expect(page.getByRole('button', { name: 'دخول' })).toBeVisible();
  });

  test('signed in, the forms list and the sync status speak French, then Arabic', async ({
    page,
    baseURL,
    fieldStaff,
    publishForm,
  }, testInfo) => {
    const name = `Contrôle du point d’eau ${Date.now().toString(36)}`;
    await publishForm(name);
    const site = new SitePage(page);
    await site.open();
    await page.getByLabel('E-mail ou nom d’utilisateur').fill(fieldStaff.username);
    await page.getByLabel('Mot de passe').fill(fieldStaff.password);
    await page.getByRole('button', { name: 'Se connecter' }).click();

    await expect(page.getByRole('heading', { name: 'Formulaires', level: 1 })).toBeVisible();
    const forms = await formCount(baseURL!, fieldStaff.jwt);
    await expect(page.locator('eas-form-list [data-status]')).toHaveText(
      forms === 1 ? '1 formulaire disponible' : `${forms} formulaires disponibles`
    );
    const item = page.locator('.forms li').filter({ has: site.form(name) });
    await expect(item.locator('p.muted')).toHaveText('Version 1 · 1 champ');
    await expect(site.syncCount()).toHaveText('Rien en attente d’envoi.');
    await attachScreenshot(page, testInfo, 'forms-fr.png');

    await page.getByRole('combobox', { name: 'Langue' }).selectOption('ar');
    await expect(page.locator('html')).toHaveAttribute('dir', 'rtl');
    await expect(page.getByRole('heading', { name: 'النماذج', level: 1 })).toBeVisible();
    const arabicCount = new Intl.PluralRules('ar').select(forms);
    const expected = {
      zero: 'لا توجد نماذج متاحة',
      one: 'نموذج واحد متاح',
      two: 'نموذجان متاحان',
      few: `${forms} نماذج متاحة`,
      many: `${forms} نموذجًا متاحًا`,
      other: `${forms} نموذج متاح`,
    }[arabicCount];
    await expect(page.locator('eas-form-list [data-status]')).toHaveText(expected);
    await expect(item.locator('p.muted')).toHaveText('الإصدار 1 · حقل واحد');
    await expect(site.syncCount()).toHaveText('لا شيء بانتظار الإرسال.');
    // The list's text starts on the right.
    const heading = await box(page, 'eas-form-list h1');
    const main = await box(page, 'main');
    expect(main.x + main.width - (heading.x + heading.width)).toBeLessThan(40);
    await attachScreenshot(page, testInfo, 'forms-ar.png');
  });

  test('the forms list stops saying it shows the phone’s copies once the internet is back', async ({
    page,
    context,
    fieldStaff,
    publishForm,
  }) => {
    test.setTimeout(90_000);
    const name = `Relevé hors ligne ${Date.now().toString(36)}`;
    await publishForm(name);
    const site = new SitePage(page);
    await site.open();
    await page.getByLabel('E-mail ou nom d’utilisateur').fill(fieldStaff.username);
    await page.getByLabel('Mot de passe').fill(fieldStaff.password);
    await page.getByRole('button', { name: 'Se connecter' }).click();
    await expect(site.form(name)).toBeVisible();
    await page.waitForFunction(async () => Boolean((await navigator.serviceWorker.ready) && navigator.serviceWorker.controller));

    const status = page.locator('eas-form-list [data-status]');
    await context.setOffline(true);
    await page.reload();
    await expect(status).toContainText('Le serveur est injoignable : voici les copies conservées sur ce téléphone.');
    await expect(site.form(name)).toBeVisible();

    // Back online: the list asks the server again (when the browser says so, after a sync, or within 30 s).
    await context.setOffline(false);
    await expect(status).toHaveText(/^\d+ formulaires? disponibles?$/, { timeout: 40_000 });
  });

  test('a form in French and English reads in French on a French phone; the signature over the French consent is accepted', async ({
    page,
    baseURL,
    adminToken,
    fieldStaff,
  }) => {
    const name = `Relevé ${Date.now().toString(36)}`;
    const slug = name.toLowerCase().replace(/[^a-z0-9]+/g, '-');
    await createAndPublishForm(baseURL!, adminToken, {
      name,
      slug,
      defaultLanguage: 'en',
      languages: 'fr',
      fields: [
        {
          key: 'state',
          label: 'Condition',
          type: 'select',
          required: true,
          options: 'good|Good\npoor|Poor',
          translations: { fr: { label: 'État du compteur', options: { good: 'Bon', poor: 'Mauvais' } } },
        },
      ],
      frontPhoto: { enabled: false },
      backPhoto: { enabled: false },
      signatures: [
        {
          key: 'client',
          role: 'client',
          consentText: 'I confirm the reading.',
          required: true,
          translations: { fr: { role: 'client·e', consentText: 'Je confirme le relevé.' } },
        },
      ],
    });
    await page.goto('/');
    await page.getByLabel('E-mail ou nom d’utilisateur').fill(fieldStaff.username);
    await page.getByLabel('Mot de passe').fill(fieldStaff.password);
    await page.getByRole('button', { name: 'Se connecter' }).click();
    await page.getByRole('link', { name }).click();

    await page.getByLabel('État du compteur').selectOption({ label: 'Mauvais' });
    const slot = page.getByRole('region', { name: 'Signature : client·e' });
    await expect(slot.getByText('Je confirme le relevé.')).toBeVisible();
    await slot.getByLabel('Nom du signataire').fill('Ada');
    const canvas = slot.locator('canvas');
    await canvas.scrollIntoViewIfNeeded();
    const b = (await canvas.boundingBox())!;
    await page.mouse.move(b.x + 20, b.y + b.height * 0.6);
    await page.mouse.down();
    for (let i = 1; i <= 12; i++)
      await page.mouse.move(b.x + 20 + i * ((b.width - 40) / 12), b.y + b.height * (i % 2 ? 0.3 : 0.7), { steps: 3 });
    await page.mouse.up();
    await page.getByRole('button', { name: 'Vérifier', exact: true }).click();
    await expect(page.locator('[data-review-list]').getByText('Mauvais')).toBeVisible();
    const clientId = new URL(page.url()).searchParams.get('draft')!;
    await page.getByRole('button', { name: 'Envoyer', exact: true }).click();
    await expect(page.getByRole('heading', { name: 'Envoyé' })).toBeVisible({ timeout: 30_000 });

    const list = await fetch(`${baseURL}/api/eas/records?form=${slug}&pageSize=100`, {
      headers: { Authorization: `Bearer ${fieldStaff.jwt}` },
    });
    const [mine] = ((await list.json()).data as { clientId: string; data: unknown }[]).filter((r) => r.clientId === clientId);
    expect(mine.data).toEqual({ state: 'poor' });
  });
});
