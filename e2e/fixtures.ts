import AxeBuilder from '@axe-core/playwright';
import { test as base, expect, type Page } from '@playwright/test';
import { openDb, type DbAccess } from '../cms/tests/db-access';
import { createAndPublishForm, createFieldStaff, type DbKind, type StrapiInstance } from '../cms/tests/harness';

export interface CaptureFormOptions {
  /** Include a required back photo (default true). */
  back?: boolean;
  /** Include a required signature slot (default true). */
  signature?: boolean;
  /** Whether a front photo with quality warnings may be kept ("Use anyway"; default true). */
  allowOverride?: boolean;
}

export interface CaptureForm {
  name: string;
  slug: string;
  consentText: string;
}

export const CONSENT_TEXT = 'I confirm that the meter was read in my presence and that these photos show it.';

/** Data each test seeds for itself through the API (unique names), as the style guide asks. */
export const test = base.extend<{
  adminToken: string;
  fieldStaff: Awaited<ReturnType<typeof createFieldStaff>>;
  publishForm: (name: string) => Promise<string>;
  /** A form with a required text field, a select, a show-if field, front/back photo slots and a signature slot. */
  publishCaptureForm: (name: string, options?: CaptureFormOptions) => Promise<CaptureForm>;
  /** The instance's database, opened as an insider with database credentials would (to alter records behind EAS's back). */
  database: DbAccess;
}>({
  adminToken: async ({}, use) => use(process.env.EAS_ADMIN_TOKEN!),
  fieldStaff: async ({ baseURL, adminToken }, use) => use(await createFieldStaff(baseURL!, adminToken)),
  publishForm: async ({ baseURL, adminToken }, use) =>
    use(async (name: string) => {
      const slug = name.toLowerCase().replace(/[^a-z0-9]+/g, '-');
      await createAndPublishForm(baseURL!, adminToken, {
        name,
        slug,
        description: `${name} — created by the browser test`,
        fields: [{ key: 'notes', label: 'Notes', type: 'textarea', required: true }],
      });
      return slug;
    }),
  publishCaptureForm: async ({ baseURL, adminToken }, use) =>
    use(async (name: string, { back = true, signature = true, allowOverride = true }: CaptureFormOptions = {}) => {
      const slug = name.toLowerCase().replace(/[^a-z0-9]+/g, '-');
      await createAndPublishForm(baseURL!, adminToken, {
        name,
        slug,
        description: `${name} — created by the browser test`,
        fields: [
          { key: 'site', label: 'Site name', type: 'text', required: true, help: 'As written on the site board.' },
          { key: 'condition', label: 'Condition', type: 'select', required: true, options: 'good|Good\npoor|Poor' },
          { key: 'details', label: 'What needs fixing', type: 'textarea', required: true, showIfField: 'condition', showIfEquals: 'poor' },
        ],
        frontPhoto: {
          enabled: true,
          required: true,
          label: 'Front of the meter',
          hint: 'Fill the frame with the meter face.',
          maxPixels: 2_000_000,
          ...(allowOverride ? {} : { allowOverride: false }),
        },
        backPhoto: back
          ? {
              enabled: true,
              required: true,
              label: 'Back of the meter',
              hint: 'Show the seal and the serial number.',
              maxPixels: 2_000_000,
            }
          : { enabled: false },
        signatures: signature ? [{ key: 'client', role: 'client', consentText: CONSENT_TEXT, required: true }] : [],
      });
      return { name, slug, consentText: CONSENT_TEXT };
    }),
  database: async ({}, use) => {
    // openDb reads only the kind of database and where it is, which global-setup hands over.
    const instance: Pick<StrapiInstance, 'db' | 'env'> = {
      db: process.env.EAS_DB as DbKind,
      env: { DATABASE_FILENAME: process.env.EAS_DB_FILENAME!, DATABASE_URL: process.env.EAS_DB_URL! },
    };
    const db = await openDb(instance as StrapiInstance);
    try {
      await use(db);
    } finally {
      await db.close();
    }
  },
});

/**
 * axe-core on the page as it is: serious and critical violations, with what and where. Move the pointer off a
 * primary button first (page.mouse.move(0, 0)): Strapi's hover shade of it is under 4.5:1, which is not our page.
 */
export const seriousViolations = async (page: Page) => {
  const { violations } = await new AxeBuilder({ page }).analyze();
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.help} — ${v.nodes.map((n) => `${n.target.join(' ')} ${n.html.slice(0, 160)}`).join(', ')}`);
};

export { expect };
