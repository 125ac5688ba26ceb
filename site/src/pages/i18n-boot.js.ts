import type { APIRoute } from 'astro';
import { bootScript } from '../lib/i18n-boot';

/** /i18n-boot.js: see lib/i18n-boot.ts. Built once into dist/ (static output). */
export const GET: APIRoute = () => new Response(bootScript(), { headers: { 'Content-Type': 'text/javascript; charset=utf-8' } });
