import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { io } from 'socket.io-client';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, registerAdmin, servicesRequired, startStrapi, type StrapiInstance } from '../harness';

const ROOT = path.resolve(__dirname, '../../..');

describe('docker-compose.yml (production shape, checked without a Docker engine)', () => {
  const compose = parse(fs.readFileSync(path.join(ROOT, 'docker-compose.yml'), 'utf8'));
  const services = compose.services as Record<string, any>;

  it('has the five services, each with a healthcheck and a restart policy', () => {
    expect(Object.keys(services).sort()).toEqual(['cms', 'db', 'nginx', 'redis', 'site']);
    for (const [name, svc] of Object.entries(services)) {
      expect(svc.healthcheck?.test, name).toBeTruthy();
      expect(svc.restart, name).toBe('unless-stopped');
    }
    expect(services.db.healthcheck.test.join(' ')).toContain('pg_isready');
    expect(services.cms.healthcheck.test.join(' ')).toContain('/health');
    expect(services.redis.command).toContain('--appendonly');
    expect(services.redis.command).toContain('--requirepass');
  });

  it('starts services only when what they need is healthy', () => {
    expect(services.cms.depends_on).toEqual({ db: { condition: 'service_healthy' }, redis: { condition: 'service_healthy' } });
    expect(services.nginx.depends_on).toEqual({ cms: { condition: 'service_healthy' }, site: { condition: 'service_healthy' } });
  });

  it('splits the networks: the databases are unreachable from the front', () => {
    expect(compose.networks.backend.internal).toBe(true);
    expect(services.db.networks).toEqual(['backend']);
    expect(services.redis.networks).toEqual(['backend']);
    expect(services.nginx.networks).toEqual(['frontend']);
    expect(services.cms.networks.sort()).toEqual(['backend', 'frontend']);
    expect(Object.keys(services).filter((s) => services[s].ports)).toEqual(['nginx']);
  });

  it('takes every secret from .env, never a literal', () => {
    const secretish = /(PASSWORD|SECRET|APP_KEYS|SALT|ENCRYPTION_KEY|ACCESS_KEY_ID|SECRET_ACCESS_KEY)$/;
    for (const [name, svc] of Object.entries(services)) {
      for (const [key, value] of Object.entries((svc.environment ?? {}) as Record<string, string>)) {
        if (secretish.test(key)) expect(String(value), `${name}.${key}`).toMatch(/^\$\{[A-Z0-9_]+(:[?-][^}]*)?\}$/);
      }
      for (const [key, value] of Object.entries((svc.environment ?? {}) as Record<string, string>)) {
        if (key === 'DATABASE_URL' || key === 'REDIS_URL') expect(String(value)).toMatch(/\$\{(POSTGRES|REDIS)_PASSWORD\}/);
      }
    }
  });

  it('builds the cms image as a non-root user with Chromium and fonts', () => {
    const dockerfile = fs.readFileSync(path.join(ROOT, 'cms/Dockerfile'), 'utf8');
    expect(dockerfile).toMatch(/apt-get install[^\n]*chromium[^\n]*fonts-dejavu-core/);
    expect(dockerfile).toMatch(/^USER node$/m);
    expect(dockerfile).toMatch(/scripts\/build\.mjs/);
    expect(dockerfile).toMatch(/HEALTHCHECK[\s\S]*\/health/);
  });
});

const nginxAvailable = (() => {
  try {
    execFileSync('nginx', ['-v'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();
if (!nginxAvailable && servicesRequired()) throw new Error('EAS_REQUIRE_SERVICES=1 but nginx is not installed');

describe.skipIf(!nginxAvailable)('config/nginx.conf in front of a real Strapi', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eas-nginx-'));
  let strapi: StrapiInstance;
  let nginx: ChildProcess;
  let http: number;
  let https: number;
  let base: string;

  beforeAll(async () => {
    process.env.NODE_TLS_REJECT_UNAUTHORIZED = '0'; // our self-signed test certificate
    [http, https] = [await freePort(), await freePort()];
    base = `https://localhost:${https}`;
    strapi = await startStrapi({ env: { TRUST_PROXY: 'true', AUTH_RATE_LIMIT_MAX: '5', PUBLIC_URL: base } });
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=localhost', '-keyout', path.join(dir, 'key.pem'), '-out', path.join(dir, 'cert.pem')], { stdio: 'ignore' });
    const vars: Record<string, string> = {
      SERVER_NAME: 'localhost',
      CMS_UPSTREAM: `127.0.0.1:${strapi.port}`,
      SITE_UPSTREAM: `127.0.0.1:${strapi.port}`, // Strapi serves the built site too
      TLS_CERTIFICATE: path.join(dir, 'cert.pem'),
      TLS_CERTIFICATE_KEY: path.join(dir, 'key.pem'),
      HTTP_PORT: `127.0.0.1:${http}`,
      HTTPS_PORT: `127.0.0.1:${https}`,
    };
    // Render like the nginx image does (envsubst of the variables it is given).
    let site = fs.readFileSync(path.join(ROOT, 'config/nginx.conf'), 'utf8').replace(/\$\{([A-Z_]+)\}/g, (m, v) => vars[v] ?? m);
    site = site.replace(`return 301 https://$host:127.0.0.1:${https}`, `return 301 https://$host:${https}`);
    fs.writeFileSync(path.join(dir, 'eas.conf'), site);
    fs.writeFileSync(
      path.join(dir, 'nginx.conf'),
      `pid ${dir}/nginx.pid;\nerror_log ${dir}/error.log warn;\nevents {}\nhttp {\n  include /etc/nginx/mime.types;\n  access_log off;\n` +
        ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((t) => `  ${t}_temp_path ${dir}/${t};\n`).join('') +
        `  include ${dir}/eas.conf;\n}\n`
    );
    execFileSync('nginx', ['-t', '-p', dir, '-c', path.join(dir, 'nginx.conf')], { stdio: 'pipe' });
    nginx = spawn('nginx', ['-p', dir, '-c', path.join(dir, 'nginx.conf'), '-g', 'daemon off;'], { stdio: 'ignore' });
    for (let i = 0; i < 50; i++) {
      try {
        await fetch(`${base}/_health`);
        break;
      } catch {
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  }, 180_000);

  afterAll(async () => {
    nginx?.kill('SIGQUIT');
    await strapi?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('redirects plain HTTP to HTTPS', async () => {
    const res = await fetch(`http://localhost:${http}/admin?x=1`, { redirect: 'manual' });
    expect(res.status).toBe(301);
    expect(res.headers.get('location')).toBe(`https://localhost:${https}/admin?x=1`);
  });

  it('serves the site with the security headers and a CSP that allows the dashboard socket', async () => {
    const res = await fetch(`${base}/`);
    expect(res.status).toBe(200);
    expect(res.headers.get('strict-transport-security')).toContain('max-age=');
    expect(res.headers.get('x-frame-options')).toBe('SAMEORIGIN');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('referrer-policy')).toBe('strict-origin-when-cross-origin');
    expect(res.headers.get('content-security-policy')).toContain("connect-src 'self' wss:");
    expect(res.headers.get('content-security-policy')).toContain("img-src 'self' data: blob:");
    const health = await fetch(`${base}/health`);
    expect(health.status).toBe(200);
  });

  it('gives the 6th sign-in attempt of a minute a 429, whatever the email, query string or X-Forwarded-For', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) {
      const res = await fetch(`${base}/api/auth/local${i % 2 ? '?x=' + i : ''}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'X-Forwarded-For': `203.0.113.${i}` },
        body: JSON.stringify({ identifier: `someone${i}@example.com`, password: 'wrong-password' }),
      });
      statuses.push(res.status);
    }
    expect(statuses.slice(0, 5).every((s) => s === 400)).toBe(true);
    expect(statuses[5]).toBe(429);
  });

  it('passes the WebSocket upgrade through to socket.io', async () => {
    const admin = await registerAdmin(base);
    const socket = io(base, { path: '/eas/socket.io', transports: ['websocket'], auth: { token: admin.token }, rejectUnauthorized: false, reconnection: false });
    await new Promise<void>((resolve, reject) => {
      socket.once('eas.ready', () => resolve());
      socket.once('connect_error', reject);
    });
    expect(socket.io.engine.transport.name).toBe('websocket');
    socket.close();
  });

  it('refuses an upload over 20 MB before it reaches Strapi', async () => {
    const form = new FormData();
    form.set('file', new Blob([Buffer.alloc(21 * 1024 * 1024)]), 'big.jpg');
    const res = await fetch(`${base}/api/eas/records/abcdefghijklmnopqrstuvwx/photos/front`, { method: 'PUT', body: form });
    expect(res.status).toBe(413);
  });

  it('compresses text responses', async () => {
    const html = await (await fetch(`${base}/`)).text();
    const asset = html.match(/src="(\/_astro\/[^"]+\.js)"/)?.[1];
    const res = await fetch(`${base}${asset ?? '/'}`, { headers: { 'Accept-Encoding': 'gzip' } });
    expect(res.status).toBe(200);
  });
});
