// @ts-check
import AstroPWA from '@vite-pwa/astro';
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
        globPatterns: ['**/*.{html,js,css,svg,png,webmanifest,txt}'],
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
