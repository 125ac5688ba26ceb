import { test as base, expect } from '@playwright/test';
import { createAndPublishForm, createFieldStaff } from '../cms/tests/harness';

/** Data each test seeds for itself through the API (unique names), as the style guide asks. */
export const test = base.extend<{
  adminToken: string;
  fieldStaff: Awaited<ReturnType<typeof createFieldStaff>>;
  publishForm: (name: string) => Promise<string>;
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
});

export { expect };
