import { defineConfig } from 'vitest/config';

// Unit tests of every workspace (`npm run test:unit`). Integration tests have their own config in cms/.
export default defineConfig({
  test: {
    projects: ['cms/src/plugins/eas/vitest.config.ts', 'site/vitest.config.ts'],
  },
});
