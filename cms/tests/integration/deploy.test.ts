import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { io } from 'socket.io-client';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answeredByNginx, nginxAvailable, request, requireNginx, startFrontDoor, type FrontDoor, type RawResponse } from '../front-door';
import { freePort, registerAdmin, startStrapi, type StrapiInstance } from '../harness';

const ROOT = path.resolve(__dirname, '../../..');

describe('docker-compose.yml (production shape, checked without a Docker engine)', () => {
  const compose = parse(fs.readFileSync(path.join(ROOT, 'docker-compose.yml'), 'utf8'), { merge: true }); // merge keys (<<) as compose reads them
  const allServices = compose.services as Record<string, any>;
  /** What `docker compose up` starts: the services of no profile. */
  const services = Object.fromEntries(Object.entries(allServices).filter(([, svc]) => !svc.profiles));

  it('has the five always-on services, each with a healthcheck and a restart policy', () => {
    expect(Object.keys(services).sort()).toEqual(['cms', 'db', 'nginx', 'redis', 'site']);
    for (const [name, svc] of Object.entries(allServices)) {
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
    const secretish = /(PASSWORD|SECRET|APP_KEYS|SALT|ENCRYPTION_KEY|ACCESS_KEY_ID|SECRET_ACCESS_KEY|TOKEN)$/;
    for (const [name, svc] of Object.entries(allServices)) {
      for (const [key, value] of Object.entries((svc.environment ?? {}) as Record<string, string>)) {
        if (secretish.test(key)) expect(String(value), `${name}.${key}`).toMatch(/^\$\{[A-Z0-9_]+(:[?-][^}]*)?\}$/);
      }
      for (const [key, value] of Object.entries((svc.environment ?? {}) as Record<string, string>)) {
        if (key === 'DATABASE_URL' || key === 'REDIS_URL') expect(String(value)).toMatch(/\$\{(POSTGRES|REDIS)_PASSWORD\}/);
      }
    }
  });

  it('runs separate job workers only with the workers profile: the cms image and settings, `npm run worker`, the shared evidence volume, no way out', () => {
    const worker = allServices.worker;
    expect(worker.profiles).toEqual(['workers']);
    expect(worker.image).toBe(allServices.cms.image);
    expect(worker.command).toEqual(['node', '/app/scripts/worker.mjs', '--no-build']);
    const { EAS_JOB_WORKERS: _own, ...shared } = worker.environment;
    const { EAS_JOB_WORKERS: _cms, ...cms } = allServices.cms.environment;
    expect(shared).toEqual(cms);
    expect(worker.environment.EAS_JOB_WORKERS).toBe('1');
    expect(worker.volumes).toContain('evidence:/app/cms/evidence');
    expect(worker.networks).toEqual(['backend']);
    expect(worker.ports).toBeUndefined();
  });

  it('runs Prometheus and Grafana only with the monitoring profile, on loopback ports, Prometheus beside the cms', () => {
    const monitoring = Object.keys(allServices).filter((s) => allServices[s].profiles?.includes('monitoring'));
    expect(monitoring.sort()).toEqual(['grafana', 'prometheus']);
    for (const name of monitoring) {
      expect(allServices[name].profiles).toEqual(['monitoring']);
      for (const port of allServices[name].ports) expect(String(port), name).toMatch(/^127\.0\.0\.1:/);
    }
    expect(allServices.prometheus.networks).toContain('backend');
    expect(allServices.grafana.networks).not.toContain('backend');
    // The token: the cms gets it from .env, Prometheus the same value as a secret file (never in its config).
    expect(allServices.cms.environment.EAS_METRICS_TOKEN).toBe('${EAS_METRICS_TOKEN:-}');
    expect(compose.secrets.eas_metrics_token).toEqual({ environment: 'EAS_METRICS_TOKEN' });
    expect(allServices.prometheus.secrets).toEqual(['eas_metrics_token']);
    const mounts = (allServices.prometheus.volumes as string[]).map((v) => v.split(':').slice(0, 2).join(':'));
    expect(mounts).toEqual(
      expect.arrayContaining([
        './config/prometheus.yml:/etc/prometheus/prometheus.yml',
        './config/prometheus-alerts.yml:/etc/prometheus/alerts.yml',
      ])
    );
    for (const file of (allServices.grafana.volumes as string[]).map((v) => v.split(':')[0]).filter((f) => f.startsWith('./'))) {
      expect(fs.existsSync(path.join(ROOT, file)), file).toBe(true);
    }
  });

  it('has Prometheus scrape every cms replica on /metrics with the token file, and load the alert rules', () => {
    const prometheus = parse(fs.readFileSync(path.join(ROOT, 'config/prometheus.yml'), 'utf8'));
    expect(prometheus.rule_files).toEqual(['/etc/prometheus/alerts.yml']);
    const job = prometheus.scrape_configs.find((j: any) => j.job_name === 'eas-cms');
    expect(job.metrics_path).toBe('/metrics');
    expect(job.authorization).toEqual({ type: 'Bearer', credentials_file: '/run/secrets/eas_metrics_token' });
    expect(job.dns_sd_configs).toEqual([
      expect.objectContaining({ names: ['cms'], type: 'A', port: Number(allServices.cms.environment.PORT) }),
    ]);
  });

  it('builds the images on Node 24 LTS', () => {
    for (const file of ['cms/Dockerfile', 'site/Dockerfile']) {
      const dockerfile = fs.readFileSync(path.join(ROOT, file), 'utf8');
      const nodeImages = [...dockerfile.matchAll(/^FROM (node:\S+)/gm)].map((m) => m[1]);
      expect(nodeImages.length, file).toBeGreaterThan(0);
      expect(new Set(nodeImages), file).toEqual(new Set(['node:24-bookworm-slim']));
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

describe('the alert rules and the Grafana dashboard use only metrics a real /metrics exposes', () => {
  let strapi: StrapiInstance;
  const token = randomBytes(24).toString('hex');
  beforeAll(async () => {
    strapi = await startStrapi({ env: { EAS_METRICS_TOKEN: token } });
  }, 180_000);
  afterAll(async () => {
    await strapi?.stop();
  });

  /** Metric names in PromQL expressions (ours, the process ones and Prometheus' own `up`). */
  const metricNames = (exprs: string[]) => new Set(exprs.flatMap((e) => e.match(/\b(eas_|process_|nodejs_)[a-z0-9_]+\b|\bup\b/g) ?? []));

  it('finds every metric named in config/prometheus-alerts.yml and config/grafana/eas-dashboard.json in the scrape', async () => {
    const res = await fetch(`${strapi.url}/metrics`, { headers: { Authorization: `Bearer ${token}` } });
    expect(res.status).toBe(200);
    const exposed = new Set(['up']); // (set by Prometheus for every target)
    for (const [, name, type] of (await res.text()).matchAll(/^# TYPE (\S+) (\S+)$/gm)) {
      exposed.add(name);
      if (type === 'histogram') for (const suffix of ['_bucket', '_sum', '_count']) exposed.add(name + suffix);
      if (type === 'summary') for (const suffix of ['_sum', '_count']) exposed.add(name + suffix);
    }
    const alerts = parse(fs.readFileSync(path.join(ROOT, 'config/prometheus-alerts.yml'), 'utf8'));
    const alertExprs: string[] = alerts.groups.flatMap((g: any) => g.rules.map((r: any) => r.expr));
    const dashboard = JSON.parse(fs.readFileSync(path.join(ROOT, 'config/grafana/eas-dashboard.json'), 'utf8'));
    const panelExprs: string[] = dashboard.panels.flatMap((p: any) => p.targets.map((t: any) => t.expr));
    expect(alertExprs.length).toBeGreaterThanOrEqual(8);
    expect(panelExprs.length).toBeGreaterThanOrEqual(15);
    for (const [file, exprs] of [
      ['prometheus-alerts.yml', alertExprs],
      ['eas-dashboard.json', panelExprs],
    ] as const) {
      const names = metricNames(exprs);
      expect(names.size, file).toBeGreaterThan(5);
      expect(
        [...names].filter((n) => !exposed.has(n)),
        file
      ).toEqual([]);
    }
    // The alerts cover what operators asked for.
    const alertNames = alerts.groups.flatMap((g: any) => g.rules.map((r: any) => r.alert));
    expect(alertNames).toEqual(
      expect.arrayContaining([
        'EasInstanceDown',
        'EasHttp5xxRate',
        'EasImageQueueGrowing',
        'EasPdfRendersSlow',
        'EasIntegrityAltered',
        'EasIntegritySweepFailing',
      ])
    );
  });
});

requireNginx();

/** Spellings of /uploads/<name> that a decoding, normalising server may resolve to the same file. */
const spellingsOf = (name: string) => {
  const [stem, ext] = [name.slice(0, name.lastIndexOf('.')), name.slice(name.lastIndexOf('.') + 1)];
  const hex = (c: string) => c.charCodeAt(0).toString(16);
  return [
    `/uploads/${name}`, // the plain path
    `/uploads/${name}?download=1`,
    `/uploads%2F${name}`, // encoded slash
    `/uploads%2f${name}`,
    `/%75ploads/${name}`, // encoded letter
    `/%2575ploads/${name}`, // double encoding
    `/UPLOADS/${name}`, // case
    `/uploads\\${name}`, // backslash
    `/uploads%5C${name}`, // encoded backslash
    `/uploads/%5c${name}`,
    `//uploads/${name}`,
    `/uploads//${name}`,
    `/./uploads/${name}`,
    `/uploads/./${name}`,
    `/uploads/%2E/${name}`, // encoded dot-segment
    `/x/../uploads/${name}`,
    `/x/%2E%2E/uploads/${name}`,
    `/x/..%2Fuploads%2F${name}`,
    `/api/..%2Fuploads/${name}`,
    `/verify/EAS-2026-000001/..%2F..%2Fuploads/${name}`,
    `/eas/socket.io/..%2F..%2Fuploads/${name}`,
    `/uploads%C0%AF${name}`, // overlong UTF-8 slash
    `/uploads/${stem}%2E${ext}`, // encoded dot before the extension
    `/uploads/%${hex(stem[0])}${stem.slice(1)}.${ext}`, // encoded first letter
    `/uploads/%25${hex(stem[0])}${stem.slice(1)}.${ext}`, // double-encoded first letter
    `https://localhost/x/..%2Fuploads/${name}`, // absolute-form request target
  ];
};

describe.skipIf(!nginxAvailable)('config/nginx.conf in front of a real Strapi', () => {
  let strapi: StrapiInstance;
  let door: FrontDoor;
  const conf = fs.readFileSync(path.join(ROOT, 'config/nginx.conf'), 'utf8');
  let http: number;
  let https: number;
  let base: string;
  // The harness boots Strapi from cms/, so this is the folder its public middleware (koa-static) serves at /uploads.
  const uploads = path.join(ROOT, 'cms/public/uploads');
  // A legacy evidence file (name as the plugin stores them) and an ordinary public upload (a Strapi-style name).
  const evidenceHex = randomBytes(16).toString('hex');
  const evidence = { name: `eas_private_${evidenceHex}.jpg`, bytes: Buffer.concat([Buffer.from([0xff, 0xd8, 0xff]), randomBytes(2048)]) };
  const upload = {
    name: `deploy_test_${randomBytes(5).toString('hex')}.jpg`,
    bytes: Buffer.concat([Buffer.from([0xff, 0xd8, 0xff]), randomBytes(2048)]),
  };
  beforeAll(async () => {
    for (const file of [evidence, upload]) fs.writeFileSync(path.join(uploads, file.name), file.bytes);
    process.env.NODE_TLS_REJECT_UNAUTHORIZED = '0'; // our self-signed test certificate
    [http, https] = [await freePort(), await freePort()];
    base = `https://localhost:${https}`;
    strapi = await startStrapi({
      env: { TRUST_PROXY: 'true', AUTH_RATE_LIMIT_MAX: '5', PUBLIC_URL: base, EAS_METRICS_TOKEN: randomBytes(24).toString('hex') },
    });
    door = await startFrontDoor([strapi.port], { httpPort: http, httpsPort: https });
  }, 180_000);

  afterAll(async () => {
    for (const file of [evidence, upload]) fs.rmSync(path.join(uploads, file.name), { force: true });
    await door?.stop();
    await strapi?.stop();
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

  it('limits the admin sign-in too: after the burst nginx itself answers 429, before Strapi is asked', async () => {
    // nginx lets 1 + burst attempts through at once; Strapi's own limit (AUTH_RATE_LIMIT_MAX=5 here) refuses the 6th
    // with its JSON 429; the 7th never reaches Strapi.
    const burst = Number(conf.match(/\/admin\/\(login[^{]*\{\s*limit_req zone=eas_auth burst=(\d+)/)?.[1]);
    expect(burst).toBe(5);
    const answers: RawResponse[] = [];
    for (let i = 0; i < burst + 2; i++) {
      answers.push(
        await request(base, '/admin/login', {
          method: 'POST',
          json: { email: `someone${i}@example.com`, password: 'Wrong-password1' },
          from: '127.0.0.77',
        })
      );
    }
    expect(answers.slice(0, 5).map((a) => a.status)).toEqual([400, 400, 400, 400, 400]);
    expect(answers[5].status).toBe(429);
    expect(answeredByNginx(answers[5])).toBe(false);
    expect(answers[6].status).toBe(429);
    expect(answeredByNginx(answers[6])).toBe(true);
  });

  it('does not count access-token renewals as sign-ins', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 10; i++)
      statuses.push((await request(base, '/api/auth/refresh', { method: 'POST', json: {}, from: '127.0.0.78' })).status);
    expect(statuses).not.toContain(429);
  });

  it('passes the WebSocket upgrade through to socket.io', async () => {
    // Registered on Strapi directly: through nginx, this address has spent its sign-in budget in the tests above.
    const admin = await registerAdmin(strapi.url);
    const socket = io(base, {
      path: '/eas/socket.io',
      transports: ['websocket'],
      auth: { token: admin.token },
      rejectUnauthorized: false,
      reconnection: false,
    });
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

  it('never forwards /metrics from outside, whatever the spelling or token', async () => {
    const token = strapi.env.EAS_METRICS_TOKEN;
    // Strapi itself serves the metrics to a scraper with the token (the test's site upstream is Strapi too).
    expect((await fetch(`${strapi.url}/metrics`, { headers: { Authorization: `Bearer ${token}` } })).status).toBe(200);
    for (const target of ['/metrics', '/metrics?x=1', '/%6detrics', '/./metrics', '//metrics']) {
      const res = await request(base, target, { headers: { Authorization: `Bearer ${token}` } });
      expect(res.status, target).toBe(404);
      expect(answeredByNginx(res), target).toBe(true);
      expect(res.body.toString('latin1'), target).not.toContain('eas_http_requests_total');
    }
  });

  it("gives every request nginx's own request id, which Strapi answers in X-Request-Id (a client's is replaced)", async () => {
    const spoofed = 'chosen-by-the-client';
    const res = await request(base, '/api/eas/records/nosuchrecordxxxxxxxxxxxx', {
      from: '127.0.0.14',
      headers: { 'X-Request-Id': spoofed },
    });
    expect(res.status).toBe(403);
    const id = String(res.headers['x-request-id']);
    expect(id).toMatch(/^[0-9a-f]{32}$/);
    expect(JSON.parse(res.body.toString('utf8')).error.requestId).toBe(id);
    expect(strapi.logs(Infinity)).not.toContain(spoofed);
  });

  it('compresses text responses', async () => {
    const html = await (await fetch(`${base}/`)).text();
    const asset = html.match(/src="(\/_astro\/[^"]+\.js)"/)?.[1];
    const res = await fetch(`${base}${asset ?? '/'}`, { headers: { 'Accept-Encoding': 'gzip' } });
    expect(res.status).toBe(200);
  });

  describe('legacy evidence files in the public uploads folder', () => {
    const evidenceSpellings = () => [
      ...spellingsOf(evidence.name),
      `https://localhost/uploads/${evidence.name}`, // absolute-form of the plain path
      `/uploads/%65as%5Fprivate_${evidenceHex}.jpg`, // encoded prefix
      `/uploads%2F%65as%5Fprivate_${evidenceHex}.jpg`,
      `/uploads/%2565as%255Fprivate_${evidenceHex}.jpg`, // double-encoded prefix
      `/Uploads/EAS_PRIVATE_${evidenceHex.toUpperCase()}.JPG`, // mixed case
      `/uploads/Eas_Private_${evidenceHex}.jpg`,
      `/admin/eas_private_${evidenceHex}.jpg`, // any location, not only /uploads/
      `/api/eas_private_${evidenceHex}.jpg`,
      `/eas/socket.io/eas_private_${evidenceHex}.jpg`,
      `/_astro/%65as_private_${evidenceHex}.jpg`,
    ];

    it('are where Strapi serves uploads from: an ordinary file beside them is served directly, byte for byte', async () => {
      expect(fs.readFileSync(path.join(uploads, evidence.name)).equals(evidence.bytes)).toBe(true);
      const direct = await request(strapi.url, `/uploads/${upload.name}`);
      expect(direct.status).toBe(200);
      expect(direct.body.equals(upload.bytes)).toBe(true);
    });

    it('refuses every spelling of an evidence file name with 404 from nginx itself, whatever location matches', async () => {
      const spellings = evidenceSpellings();
      expect(spellings.length).toBeGreaterThanOrEqual(15);
      const wrong: string[] = [];
      for (const target of spellings) {
        const res = await request(base, target);
        if (res.body.includes(evidence.bytes)) wrong.push(`${target} → ${res.status}, served the evidence file`);
        else if (res.status !== 404 || !answeredByNginx(res))
          wrong.push(`${target} → ${res.status} ${res.headers['content-type']}, forwarded to Strapi`);
      }
      expect(wrong).toEqual([]);
    });

    it('forwards no encoded slash, dot or backslash and no other non-plain spelling into /uploads/, even of a public file', async () => {
      const wrong: string[] = [];
      // All but the plain spellings. /%2575ploads/ is /%75ploads/ to nginx and to Strapi alike (each decodes once): it
      // names no uploads file, so it is left to the site.
      const spellings = spellingsOf(upload.name).filter((t) => !t.startsWith(`/uploads/${upload.name}`) && !t.startsWith('/%2575ploads/'));
      for (const target of spellings) {
        const res = await request(base, target);
        if (res.status !== 404 || !answeredByNginx(res))
          wrong.push(`${target} → ${res.status} ${res.headers['content-type']}${res.body.equals(upload.bytes) ? ', served the file' : ''}`);
      }
      expect(wrong).toEqual([]);
    });

    it('still serves an ordinary public upload through nginx, byte for byte (also with a query string)', async () => {
      for (const target of [`/uploads/${upload.name}`, `/uploads/${upload.name}?updatedAt=2026-12-01T00%3A00%3A00.000Z`]) {
        const res = await request(base, target);
        expect(res.status, target).toBe(200);
        expect(res.body.equals(upload.bytes), target).toBe(true);
      }
    });
  });

  describe('the public verify page', () => {
    const hash = randomBytes(32).toString('hex');
    const page = `/verify/EAS-2026-000001?hash=${hash}`;
    const api = `/api/eas/verify/EAS-2026-000001?hash=${hash}`;

    it('forwards /verify/ to Strapi: the answer Strapi gives directly, neither an nginx page nor the capture site', async () => {
      const [direct, proxied] = [await request(strapi.url, page), await request(base, page, { from: '127.0.0.11' })];
      expect(answeredByNginx(proxied)).toBe(false);
      expect(proxied.status).toBe(direct.status);
      expect(proxied.headers['content-type']).toBe(direct.headers['content-type']);
      // The test's site upstream is this Strapi too; nginx gives the site's locations a CSP of their own instead.
      expect(proxied.headers['content-security-policy']).toBe(direct.headers['content-security-policy']);
    });

    it('answers 429 once one client address exceeds the verify burst, shared by /verify/ and /api/eas/verify/, whatever X-Forwarded-For says', async () => {
      const burst = Number(conf.match(/limit_req zone=eas_verify burst=(\d+)/)?.[1]);
      expect(burst).toBeGreaterThan(0);
      const [pageStatus, apiStatus] = [(await request(strapi.url, page)).status, (await request(strapi.url, api)).status];
      const statuses: number[] = [];
      // Alternating page and API: with one shared bucket the first 429 comes right after the burst; with a bucket
      // each it could not come before twice the burst.
      for (let i = 0; i < 2 * (burst + 1) && !statuses.includes(429); i++) {
        const res = await request(base, i % 2 ? api : page, { from: '127.0.0.12', headers: { 'X-Forwarded-For': `203.0.113.${i}` } });
        statuses.push(res.status);
      }
      expect(statuses.slice(0, burst + 1)).toEqual(Array.from({ length: burst + 1 }, (_, i) => (i % 2 ? apiStatus : pageStatus)));
      expect(statuses).toContain(429);
      // Another client address has a bucket of its own.
      expect((await request(base, page, { from: '127.0.0.13' })).status).toBe(pageStatus);
    });
  });
});
