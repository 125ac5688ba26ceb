// @ts-check
import { defineConfig } from 'astro/config';

// Static output: `astro build` → dist/, served by Strapi at / in the embedded setup and by nginx in production.
export default defineConfig({
  output: 'static',
  trailingSlash: 'ignore',
  build: { format: 'directory', inlineStylesheets: 'never' },
  vite: {
    build: { assetsInlineLimit: 0 },
  },
});
