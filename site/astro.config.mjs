// @ts-check
import AstroPWA from '@vite-pwa/astro';
import { defineConfig } from 'astro/config';
import { fileURLToPath } from 'node:url';

const I18N = fileURLToPath(new URL('./src/lib/i18n.ts', import.meta.url));

/**
 * Every script of the site waits for the person's language. lib/i18n.ts loads its catalogue with a top-level
 * await, which holds back only the modules that import it: a page script that does not (yet) would run first and
 * call a custom element that is not defined yet (<eas-app> calls <eas-form-list>.load(); <eas-capture> creates
 * <eas-photo-slot>). Importing it at the top of each component's script keeps them in document order, as before.
 */
const everyScriptWaitsForTheLanguage = () => ({
  name: 'eas:every-script-waits-for-the-language',
  enforce: /** @type {const} */ ('post'),
  /** @param {string} code @param {string} id @param {{ ssr?: boolean }} [options] */
  transform(code, id, options) {
    if (options?.ssr || !/\.astro\?astro&type=script/.test(id)) return null;
    return { code: `import ${JSON.stringify(I18N)};\n${code}`, map: null };
  },
});

// Static output: `astro build` → dist/, served by Strapi at / in the embedded setup and by nginx in production.
export default defineConfig({
  output: 'static',
  trailingSlash: 'ignore',
  build: { format: 'directory', inlineStylesheets: 'never' },
  vite: {
    plugins: [everyScriptWaitsForTheLanguage()],
    // es2022: top-level await (lib/i18n.ts) — every phone browser from 2021 on (Chrome 89, Safari 15).
    build: { assetsInlineLimit: 0, target: 'es2022' },
    // `npm run dev` only: the dev server forwards API calls to Strapi so the site stays same-origin.
    server: { proxy: { '/api': 'http://127.0.0.1:1337', '/eas/socket.io': { target: 'ws://127.0.0.1:1337', ws: true } } },
  },
  integrations: [
    // Installable PWA: Workbox precaches the app shell (pages, scripts, styles, icons) so the site opens and captures
    // with no network. The API, the admin, uploads and the editors' routes are never cached: form definitions and
    // captures live in IndexedDB, and everything else must come from the server.
    AstroPWA({
      registerType: 'autoUpdate',
      mode: 'production',
      // Registered by a small script in the layout (no inline script: Strapi's CSP forbids them).
      injectRegister: false,
      manifest: {
        name: 'EAS field capture',
        short_name: 'EAS',
        description: 'Forms, photos and signatures for field staff, online or offline.',
        theme_color: '#0f4c5c',
        background_color: '#f5f7f8',
        display: 'standalone',
        start_url: '/',
        scope: '/',
        icons: [
          { src: '/icon-192.png', sizes: '192x192', type: 'image/png' },
          { src: '/icon-512.png', sizes: '512x512', type: 'image/png' },
          { src: '/icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
          { src: '/icon.svg', sizes: 'any', type: 'image/svg+xml' },
        ],
      },
      workbox: {
        // wasm: the barcode decoder (zxing-wasm, ~0.9 MB), so scanning works offline too.
        globPatterns: ['**/*.{html,js,css,svg,png,webmanifest,txt,wasm}'],
        maximumFileSizeToCacheInBytes: 3 * 1024 * 1024,
        navigateFallback: '/',
        navigateFallbackDenylist: [/^\/api(\/|$)/, /^\/admin/, /^\/uploads(\/|$)/, /^\/eas(\/|$)/, /^\/_health/],
        // /capture/?form=… is the precached /capture/ page; the query is read by the page itself.
        ignoreURLParametersMatching: [/.*/],
        cleanupOutdatedCaches: true,
        clientsClaim: true,
        skipWaiting: true,
        runtimeCaching: [],
      },
      experimental: { directoryAndTrailingSlashHandler: true },
    }),
  ],
});
