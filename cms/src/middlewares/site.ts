import fs from 'fs';
import path from 'path';
import type { Core } from '@strapi/strapi';
import type { Context, Next } from 'koa';
import serve from 'koa-static';

/** Paths that belong to Strapi (API, admin, uploads, health); the site never answers for them. */
const RESERVED = /^\/(api|admin|uploads|eas|content-manager|content-type-builder|upload|users-permissions|i18n|_health|health)(\/|$)/;

/**
 * Serves the built capture site (site/dist, or SITE_DIST) at / from the same origin as the API, so the site
 * needs no CORS and runs in a secure context on localhost. In production nginx serves the site instead.
 */
const site = (_config: unknown, { strapi }: { strapi: Core.Strapi }) => {
  const root = path.resolve(strapi.dirs.app.root, process.env.SITE_DIST ?? '../site/dist');
  if (!fs.existsSync(path.join(root, 'index.html'))) {
    strapi.log.warn(`[eas] capture site not built (${root}); run "npm run build" at the repository root`);
    return async (_ctx: Context, next: Next) => next();
  }

  const assets = serve(root, {
    defer: false,
    index: 'index.html',
    format: true,
    setHeaders(res, filePath) {
      // Astro's hashed bundles never change; pages and the service worker must always be revalidated.
      const hashed = filePath.includes(`${path.sep}_astro${path.sep}`);
      res.setHeader('Cache-Control', hashed ? 'public, max-age=31536000, immutable' : 'no-cache');
    },
  });

  // A file of the site answers directly (including / → index.html, which Strapi would redirect to /admin);
  // anything else goes on to Strapi.
  return async (ctx: Context, next: Next) => {
    if (!['GET', 'HEAD'].includes(ctx.method) || RESERVED.test(ctx.path)) return next();
    return assets(ctx, next);
  };
};

export default site;
