import { expect, type Locator, type Page } from '@playwright/test';

export interface BuilderField {
  key: string;
  label: string;
  type?: string;
  required?: boolean;
  options?: string;
  min?: string;
  max?: string;
  showIfField?: string;
  showIfEquals?: string;
}

/** The Content Manager's form editor, driven as an administrator would (no API). */
export class FormBuilder {
  constructor(readonly page: Page) {}

  async open() {
    await this.page.goto('/admin/content-manager/collection-types/plugin::eas.form/create');
    await expect(this.page.getByRole('heading', { name: 'Create an entry' })).toBeVisible();
  }

  private textbox(scope: Locator | Page, name: string) {
    return scope.getByRole('textbox', { name, exact: true });
  }

  private readonly sections = ['Fields', 'Front photo', 'Back photo', 'Signatures', 'PDF options'] as const;
  private readonly filled = new Set<string>();

  /**
   * Adds an entry to a component section: while a section is empty it shows a "No entry yet" button (in document
   * order among the still-empty sections); repeatable sections with entries show "Add an entry".
   */
  private async addTo(section: 'Fields' | 'Front photo' | 'Back photo' | 'Signatures') {
    if (this.filled.has(section)) {
      const adds = this.page.getByRole('button', { name: 'Add an entry' });
      await (section === 'Fields' ? adds.first() : adds.last()).click();
      return;
    }
    const index = this.sections.slice(0, this.sections.indexOf(section)).filter((s) => !this.filled.has(s)).length;
    await this.page.getByRole('button', { name: 'No entry yet. Click to add one.' }).nth(index).click();
    this.filled.add(section);
  }

  private lastRegionWith(textbox: string) {
    return this.page
      .getByRole('region')
      .filter({ has: this.page.getByRole('textbox', { name: textbox, exact: true }) })
      .last();
  }

  async setBasics(name: string, slug: string, description: string) {
    await this.textbox(this.page, 'name').fill(name);
    await this.textbox(this.page, 'slug').fill(slug);
    await this.textbox(this.page, 'description').fill(description);
  }

  async addField(f: BuilderField) {
    await this.addTo('Fields');
    const region = this.lastRegionWith('label');
    await expect(this.textbox(region, 'key')).toHaveValue('');
    await this.textbox(region, 'key').fill(f.key);
    await this.textbox(region, 'label').fill(f.label);
    if (f.type && f.type !== 'text') {
      await region.getByRole('combobox', { name: 'type' }).click();
      await this.page.getByRole('option', { name: f.type, exact: true }).click();
    }
    if (f.required) await region.getByRole('checkbox', { name: 'required' }).click();
    if (f.options) await this.textbox(region, 'options').fill(f.options);
    if (f.min) await this.textbox(region, 'min').fill(f.min);
    if (f.max) await this.textbox(region, 'max').fill(f.max);
    if (f.showIfField) await this.textbox(region, 'Show if field').fill(f.showIfField);
    if (f.showIfEquals) await this.textbox(region, '…has this value').fill(f.showIfEquals);
  }

  async addPhoto(section: 'Front photo' | 'Back photo', label: string, hint: string) {
    await this.addTo(section);
    // A single component is laid out inline: its newest "hint" box, and the "label" box just before it.
    const hintBox = this.page.getByRole('textbox', { name: 'hint', exact: true }).last();
    await hintBox.locator('xpath=preceding::input[1]').fill(label);
    await hintBox.fill(hint);
  }

  async addSignature(key: string, role: string, consent: string) {
    await this.addTo('Signatures');
    const region = this.lastRegionWith('role');
    await this.textbox(region, 'key').fill(key);
    await this.textbox(region, 'role').fill(role);
    await this.textbox(region, 'Consent text').fill(consent);
  }

  async saveAndPublish() {
    await this.page.getByRole('button', { name: 'Save' }).click();
    await expect(this.page.getByText(/Saved document|Saved/).first()).toBeVisible();
    await this.page.getByRole('button', { name: 'Publish' }).click();
    await expect(this.page.getByText(/Published document|Published/).first()).toBeVisible();
  }
}
