import { expect, type Locator, type Page } from '@playwright/test';

/**
 * The EAS form builder (EAS → Forms), driven as an administrator would, counting each action a person takes: a
 * click, a choice in a dropdown (open + pick: two), or typing into one box.
 */
export class EasFormBuilder {
  actions = 0;
  constructor(readonly page: Page) {}

  private box(name: string) {
    return this.page.getByRole('textbox', { name, exact: true });
  }

  private async click(target: Locator) {
    this.actions++;
    await target.click();
  }

  private async type(target: Locator, text: string) {
    this.actions++;
    await target.fill(text);
  }

  private async choose(label: string | RegExp, option: string | RegExp) {
    await this.click(this.page.getByRole('combobox', { name: label }));
    await this.click(this.page.getByRole('option', { name: option }));
  }

  /** From the admin's home: EAS → Forms → Create a form. */
  async create() {
    await this.page.goto('/admin/plugins/eas/forms');
    await this.click(this.page.getByRole('link', { name: 'Create a form' }).first());
    await expect(this.page.getByRole('heading', { name: 'New form', level: 1 })).toBeVisible();
  }

  async name(name: string) {
    await this.type(this.box('Form name'), name);
  }

  /** Picks the type in the palette; the new question's "Question" box has the focus. */
  async add(type: string, label: string) {
    await this.click(this.page.getByRole('group', { name: 'Add a question' }).getByRole('button', { name: type, exact: true }));
    const question = this.box('Question');
    await expect(question).toBeFocused();
    await this.type(question, label);
  }

  async required() {
    await this.click(this.page.getByRole('checkbox', { name: 'An answer is required' }));
  }

  async limits(min: string | null, max: string | null) {
    if (min !== null) await this.type(this.page.getByLabel('Smallest value', { exact: true }), min);
    if (max !== null) await this.type(this.page.getByLabel('Largest value', { exact: true }), max);
  }

  async options(...labels: string[]) {
    for (const label of labels) await this.type(this.box('New choice'), label);
  }

  async showIf(questionLabel: string, value: string) {
    await this.choose('Show this question', `Only when “${questionLabel}” is…`);
    await this.choose('Answer that shows it', value);
  }

  async signature(role: string, consent: string) {
    await this.click(this.page.getByRole('button', { name: 'Add a signature' }));
    const section = this.page.getByTestId('eas-signature-settings');
    await this.type(section.getByRole('textbox', { name: 'Who signs (role)', exact: true }).last(), role);
    await this.type(section.getByRole('textbox', { name: 'Text the signer agrees to', exact: true }).last(), consent);
  }

  /** Publish… → the dialog says what it creates → confirm. Returns the dialog's summary text. */
  async publish(version: number) {
    await this.click(this.page.getByRole('button', { name: 'Publish…' }));
    const dialog = this.page.getByRole('dialog');
    await expect(dialog.getByRole('heading', { name: `Publish version ${version}` })).toBeVisible();
    const summary = await dialog.getByTestId('eas-publish-summary').innerText();
    await this.click(dialog.getByRole('button', { name: `Publish version ${version}` }));
    await expect(this.page.getByText(`Version ${version} published`)).toBeVisible();
    return summary;
  }

  /** The live phone preview's page (the capture site's /preview/ in a frame). */
  preview() {
    return this.page.frameLocator('iframe[title="Phone preview of the form"]');
  }
}
