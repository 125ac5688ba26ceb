import { expect, seriousViolations, test } from './fixtures';
import { AdminPage } from './pages/AdminPage';
import { SitePage } from './pages/SitePage';

test.describe('people', () => {
  test('an administrator adds field staff who sign in with the password shown, blocks them, and invites an editor', async ({
    browser,
    page,
    baseURL,
  }) => {
    const username = `amina-${Date.now().toString(36)}`;
    const desk = await (await browser.newContext({ viewport: { width: 1366, height: 900 }, baseURL })).newPage();
    await new AdminPage(desk).logIn(process.env.EAS_ADMIN_EMAIL!, process.env.EAS_ADMIN_PASSWORD!);
    await desk.goto('/admin/plugins/eas');
    await desk.getByRole('navigation', { name: 'EAS' }).getByRole('link', { name: 'People' }).click();
    await expect(desk.getByRole('heading', { name: 'People', level: 1 })).toBeVisible();

    const staff = desk.getByRole('region', { name: 'Add field staff' });
    await staff.getByRole('textbox', { name: 'Username (to sign in)' }).fill(username);
    await staff.getByRole('textbox', { name: 'Email' }).fill(`${username}@example.org`);
    await staff.getByRole('button', { name: 'Add' }).click();
    const shown = desk.getByTestId('eas-new-password');
    await expect(shown).toContainText(`${username} can sign in now`);
    const password = await shown.getByRole('textbox').inputValue();
    expect(password).toMatch(/^[A-Za-z0-9]{16}$/);
    const row = desk.getByTestId('eas-field-staff').getByRole('row').filter({ hasText: username });
    await expect(row).toContainText('Never');
    await expect(row).toContainText('Active');
    // (The pointer still rests on Add: Strapi's hover shade of a primary button is under 4.5:1, which is not this page.)
    await desk.mouse.move(0, 0);
    expect(await seriousViolations(desk)).toEqual([]);
    await desk.screenshot({ path: test.info().outputPath('people.png'), fullPage: true });

    // They sign in on the phone with it.
    const site = new SitePage(page);
    await site.open();
    await site.signIn(username, password);

    // Blocked: signed out on the next request, and no sign-in.
    await row.getByRole('button', { name: `Block ${username}` }).click();
    await expect(row).toContainText('Blocked');
    const again = await page.request.post('/api/auth/local', { data: { identifier: username, password } });
    expect(again.status()).toBe(400);

    // An editor is invited with a link that stays on screen.
    const editors = desk.getByRole('region', { name: 'Invite an editor' });
    await editors.getByRole('textbox', { name: 'First name' }).fill('Esi');
    await editors.getByRole('textbox', { name: 'Email' }).fill(`esi-${username}@example.org`);
    await editors.getByRole('button', { name: 'Invite' }).click();
    const link = await desk.getByTestId('eas-invite-link').getByRole('textbox').inputValue();
    expect(link).toMatch(/\/admin\/auth\/register\?registrationToken=[a-f0-9]+$/);
    const invitee = await (await browser.newContext({ baseURL })).newPage();
    await invitee.goto(link);
    await expect(invitee.getByRole('textbox', { name: 'Email' })).toHaveValue(`esi-${username}@example.org`);
  });
});
