/**
 * The real front door: config/nginx.conf rendered as the nginx image renders it (envsubst of its variables) and run
 * on loopback with a self-signed certificate, in front of one or several Strapi instances (round-robin, as nginx
 * balances an upstream that lists several servers or a Docker service name with several replicas).
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import nodeHttp, { type IncomingHttpHeaders } from 'node:http';
import nodeHttps from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { freePort, servicesRequired } from './harness';

const ROOT = path.resolve(__dirname, '../..');

export const nginxAvailable = (() => {
  try {
    execFileSync('nginx', ['-v'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

/** Suites that run nginx call this at load: under EAS_REQUIRE_SERVICES=1 a missing nginx fails them. */
export const requireNginx = () => {
  if (!nginxAvailable && servicesRequired()) throw new Error('EAS_REQUIRE_SERVICES=1 but nginx is not installed');
};

export interface FrontDoor {
  /** https://localhost:<port> */
  base: string;
  httpPort: number;
  httpsPort: number;
  stop: () => Promise<void>;
}

/**
 * nginx in front of the given Strapi ports (all of them in the one upstream, round-robin); the site is Strapi too.
 * `ports` when the instances must know the public origin before nginx starts (PUBLIC_URL).
 */
export async function startFrontDoor(cmsPorts: number[], ports?: { httpPort: number; httpsPort: number }): Promise<FrontDoor> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eas-nginx-'));
  const { httpPort, httpsPort } = ports ?? { httpPort: await freePort(), httpsPort: await freePort() };
  const base = `https://localhost:${httpsPort}`;
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      '1',
      '-subj',
      '/CN=localhost',
      '-keyout',
      path.join(dir, 'key.pem'),
      '-out',
      path.join(dir, 'cert.pem'),
    ],
    { stdio: 'ignore' }
  );
  const vars: Record<string, string> = {
    SERVER_NAME: 'localhost',
    // "server a; server b" inside `upstream { server ${CMS_UPSTREAM}; }`: the rendering of a list of instances.
    CMS_UPSTREAM: cmsPorts.map((p) => `127.0.0.1:${p}`).join('; server '),
    SITE_UPSTREAM: `127.0.0.1:${cmsPorts[0]}`, // Strapi serves the built site too
    TLS_CERTIFICATE: path.join(dir, 'cert.pem'),
    TLS_CERTIFICATE_KEY: path.join(dir, 'key.pem'),
    HTTP_PORT: `127.0.0.1:${httpPort}`,
    HTTPS_PORT: `127.0.0.1:${httpsPort}`,
  };
  const conf = fs.readFileSync(path.join(ROOT, 'config/nginx.conf'), 'utf8');
  let site = conf.replace(/\$\{([A-Z_]+)\}/g, (m, v) => vars[v] ?? m);
  site = site.replace(`return 301 https://$host:127.0.0.1:${httpsPort}`, `return 301 https://$host:${httpsPort}`);
  fs.writeFileSync(path.join(dir, 'eas.conf'), site);
  fs.writeFileSync(
    path.join(dir, 'nginx.conf'),
    `pid ${dir}/nginx.pid;\nerror_log ${dir}/error.log warn;\nevents {}\nhttp {\n  include /etc/nginx/mime.types;\n  access_log off;\n` +
      ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((t) => `  ${t}_temp_path ${dir}/${t};\n`).join('') +
      `  include ${dir}/eas.conf;\n}\n`
  );
  execFileSync('nginx', ['-t', '-p', dir, '-c', path.join(dir, 'nginx.conf')], { stdio: 'pipe' });
  const nginx: ChildProcess = spawn('nginx', ['-p', dir, '-c', path.join(dir, 'nginx.conf'), '-g', 'daemon off;'], { stdio: 'ignore' });
  let up = false;
  for (let i = 0; i < 100 && !up; i++) {
    up = await request(base, '/_health').then(
      () => true,
      () => false
    );
    if (!up) await new Promise((r) => setTimeout(r, 100));
  }
  if (!up) throw new Error(`nginx did not answer on ${base}: ${fs.readFileSync(path.join(dir, 'error.log'), 'utf8').slice(-2000)}`);
  return {
    base,
    httpPort,
    httpsPort,
    stop: async () => {
      if (nginx.exitCode === null) {
        const exited = new Promise((r) => nginx.once('exit', r));
        nginx.kill('SIGQUIT');
        await exited;
      }
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
  /** The body as JSON, or null when it is not JSON. */
  json: any;
}

export interface RequestOptions {
  method?: string;
  headers?: Record<string, string>;
  json?: unknown;
  token?: string;
  /** The client's address: any 127.x.y.z reaches the loopback listener, so each client gets buckets of its own. */
  from?: string;
}

/**
 * One request whose target goes on the wire exactly as written (fetch() resolves dot-segments and cannot pick the
 * source address), over http or https (self-signed certificates accepted: these are our test front doors).
 */
export const request = (origin: string, target: string, options: RequestOptions = {}) =>
  new Promise<RawResponse>((resolve, reject) => {
    const url = new URL(origin);
    const headers: Record<string, string> = { Host: url.host, ...options.headers };
    let payload: Buffer | undefined;
    if (options.json !== undefined) {
      payload = Buffer.from(JSON.stringify(options.json));
      headers['Content-Type'] = 'application/json';
      headers['Content-Length'] = String(payload.length);
    }
    if (options.token) headers.Authorization = `Bearer ${options.token}`;
    const req = (url.protocol === 'https:' ? nodeHttps : nodeHttp).request(
      {
        host: '127.0.0.1',
        port: url.port,
        path: target,
        method: options.method ?? 'GET',
        headers,
        localAddress: options.from,
        agent: false,
        servername: url.hostname,
        rejectUnauthorized: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const body = Buffer.concat(chunks);
          let json: unknown;
          try {
            json = body.length ? JSON.parse(body.toString('utf8')) : null;
          } catch {
            json = null;
          }
          resolve({ status: res.statusCode!, headers: res.headers, body, json });
        });
        res.on('error', reject);
      }
    );
    req.on('error', reject);
    req.end(payload);
  });

/** nginx's own error page: the request was answered by nginx, not forwarded to Strapi (whose errors are JSON). */
export const answeredByNginx = (res: RawResponse) =>
  String(res.headers['content-type']).startsWith('text/html') && /<center>nginx(\/[\d.]+)?<\/center>/.test(res.body.toString('latin1'));
