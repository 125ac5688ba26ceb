// @ts-check
import { defineConfig } from 'astro/config';

// Static output: `astro build` → dist/, served by Strapi at / in the embedded setup and by nginx in production.
export default defineConfig({
  output: 'static',
  trailingSlash: 'ignore',
  build: { format: 'directory', inlineStylesheets: 'never' },
  vite: {
    build: { assetsInlineLimit: 0 },
    // `npm run dev` only: the dev server forwards API calls to Strapi so the site stays same-origin.
    server: { proxy: { '/api': 'http://127.0.0.1:1337', '/eas/socket.io': { target: 'ws://127.0.0.1:1337', ws: true } } },
  },
});
