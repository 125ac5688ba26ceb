/**
 * Boots a real, built Strapi (`strapi start`) as a child process on a free port against a fresh database:
 * a temporary SQLite file, or a uniquely named PostgreSQL database created from DATABASE_URL and dropped at the end.
 * Used by the integration tests and the Playwright suite.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { generateKeyPairSync, randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';

export type DbKind = 'sqlite' | 'postgres';

const CMS = path.resolve(__dirname, '..');
const ROOT = path.resolve(CMS, '..');
const STRAPI_BIN = path.join(ROOT, 'node_modules/@strapi/strapi/bin/strapi.js');

/** CI sets EAS_REQUIRE_SERVICES=1: suites that need PostgreSQL fail instead of skipping when it is missing. */
export const servicesRequired = () => process.env.EAS_REQUIRE_SERVICES === '1';

/** Database kinds to run against: SQLite always; PostgreSQL when DATABASE_URL is set (or required). */
export const dbKinds = (): DbKind[] => {
  if (process.env.DATABASE_URL) return ['sqlite', 'postgres'];
  if (servicesRequired()) throw new Error('EAS_REQUIRE_SERVICES=1 but DATABASE_URL is not set');
  return ['sqlite'];
};

export const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });

/** A fresh set of Strapi and EAS secrets (instances of one deployment share one: pass it in `env`). */
/** A self-signed sealing key and certificate (PEM, base64 for one env line), made once per test process with openssl. */
let sealPem: { key: string; cert: string } | null = null;
export const testSealPem = () => {
  if (!sealPem) {
    const out = execFileSync(
      'openssl',
      ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', '-', '-subj', '/CN=EAS test seal', '-days', '30'],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }
    );
    const block = (label: string) => out.match(new RegExp(`-----BEGIN ${label}-----[\\s\\S]*?-----END ${label}-----\\n`))![0];
    sealPem = { key: Buffer.from(block('PRIVATE KEY')).toString('base64'), cert: Buffer.from(block('CERTIFICATE')).toString('base64') };
  }
  return sealPem;
};

export const testSecrets = (): Record<string, string> => ({
  EAS_SEAL_KEY: testSealPem().key,
  EAS_SEAL_CERT: testSealPem().cert,
  APP_KEYS: Array.from({ length: 2 }, () => randomBytes(16).toString('base64')).join(','),
  API_TOKEN_SALT: randomBytes(16).toString('base64'),
  ADMIN_JWT_SECRET: randomBytes(16).toString('base64'),
  JWT_SECRET: randomBytes(16).toString('base64'),
  TRANSFER_TOKEN_SALT: randomBytes(16).toString('base64'),
  ENCRYPTION_KEY: randomBytes(16).toString('base64'),
  EAS_SIGNING_KEY: generateKeyPairSync('ed25519').privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64'),
});

const withDatabase = (url: string, name: string) => {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
};

/** Creates a uniquely named, empty PostgreSQL database on `adminUrl`'s server; `drop` removes it. */
export async function createPostgresDatabase(adminUrl = process.env.DATABASE_URL): Promise<{ url: string; drop: () => Promise<void> }> {
  if (!adminUrl) throw new Error('DATABASE_URL is not set');
  const name = `eas_test_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  const client = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 5000 });
  try {
    await client.connect();
  } catch (err) {
    throw new Error(`PostgreSQL is unreachable at DATABASE_URL (${(err as Error).message})`, { cause: err });
  }
  await client.query(`CREATE DATABASE "${name}"`);
  await client.end();
  return {
    url: withDatabase(adminUrl, name),
    drop: async () => {
      const c = new pg.Client({ connectionString: adminUrl });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await c.end();
    },
  };
}

export interface StrapiInstance {
  url: string;
  /** PID of the Strapi process (for RSS measurements). */
  pid: () => number | undefined;
  port: number;
  db: DbKind;
  env: Record<string, string>;
  /** The end of the server output (the last `chars` characters; all of it with Infinity). */
  logs: (chars?: number) => string;
  /** Stops the server (SIGTERM, then SIGKILL after 10 s). */
  kill: () => Promise<void>;
  /** Starts the server again on the same port and database. */
  restart: () => Promise<void>;
  /** Stops the server and removes its database. */
  stop: () => Promise<void>;
}

export interface StartOptions {
  db?: DbKind;
  /** Use this SQLite file (e.g. one filled by `npm run seed`) instead of a fresh one; it is not deleted. */
  sqliteFile?: string;
  /** A second instance of the same deployment: same database and secrets as `shareWith` (which owns the database). */
  shareWith?: StrapiInstance;
  /** PostgreSQL server to create the fresh database on (default: DATABASE_URL), e.g. a private one a drill restarts. */
  postgresUrl?: string;
  /**
   * Use this existing PostgreSQL database instead of a fresh one (e.g. from `createPostgresDatabase`, to start
   * several instances on it at the same moment); it is not dropped. Pass shared secrets in `env` (`testSecrets()`).
   */
  databaseUrl?: string;
  env?: Record<string, string>;
  bootTimeoutMs?: number;
}

const waitForHealth = async (url: string, child: ChildProcess, timeoutMs: number, logs: () => string) => {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`Strapi exited with ${child.exitCode} while booting:\n${logs()}`);
    try {
      const res = await fetch(`${url}/_health`);
      if (res.status === 204) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`Strapi did not become healthy within ${timeoutMs} ms:\n${logs()}`);
};

export async function startStrapi(options: StartOptions = {}): Promise<StrapiInstance> {
  const db = options.databaseUrl ? 'postgres' : (options.db ?? 'sqlite');
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'eas-it-'));

  let database: { env: Record<string, string>; drop: () => Promise<void> };
  if (options.shareWith) {
    const shared = options.shareWith.env;
    const keep = [
      'DATABASE_URL',
      'DATABASE_FILENAME',
      'APP_KEYS',
      'API_TOKEN_SALT',
      'ADMIN_JWT_SECRET',
      'JWT_SECRET',
      'TRANSFER_TOKEN_SALT',
      'ENCRYPTION_KEY',
      'EAS_SIGNING_KEY',
      'EAS_SEAL_KEY',
      'EAS_SEAL_CERT',
      'TSA_URL',
      'EAS_EVIDENCE_DIR',
      'EAS_REDIS_PREFIX',
    ];
    database = { env: Object.fromEntries(keep.filter((k) => shared[k]).map((k) => [k, shared[k]])), drop: async () => {} };
  } else if (options.databaseUrl) {
    database = { env: { DATABASE_URL: options.databaseUrl }, drop: async () => {} };
  } else if (db === 'postgres') {
    const pgdb = await createPostgresDatabase(options.postgresUrl);
    database = { env: { DATABASE_URL: pgdb.url }, drop: pgdb.drop };
  } else {
    database = { env: { DATABASE_FILENAME: options.sqliteFile ?? path.join(tmp, 'data.db') }, drop: async () => {} };
  }

  const env: Record<string, string> = {
    ...(process.env as Record<string, string>),
    NODE_ENV: 'production',
    HOST: '127.0.0.1',
    PORT: String(port),
    PUBLIC_URL: url,
    STRAPI_TELEMETRY_DISABLED: 'true',
    STRAPI_DISABLE_UPDATE_NOTIFICATION: 'true',
    // Tests sign in often from one address; the rate-limit tests set their own limits.
    AUTH_RATE_LIMIT_MAX: '10000',
    // Likewise for open sockets (benchmarks open hundreds with one token); the socket-cap tests set their own.
    EAS_SOCKETS_PER_USER: '10000',
    EAS_SOCKETS_PER_ADDRESS: '10000',
    ...testSecrets(),
    // Evidence files of this instance live in its own temporary folder (shared with a second instance of it).
    EAS_EVIDENCE_DIR: path.join(tmp, 'evidence'),
    // This deployment's keys and channels on the shared Redis (rate-limit counters, socket leases, job queues, the
    // socket.io channel): no other test's workers take its jobs, no other test's instances see its socket events.
    EAS_REDIS_PREFIX: `eas-test-${randomBytes(4).toString('hex')}`,
    ...database.env,
    ...(options.shareWith ? { PUBLIC_URL: url } : {}),
    ...(options.env ?? {}),
  };
  // SQLite unless the database is PostgreSQL (a second instance uses its owner's): never DATABASE_URL's own database.
  if (!database.env.DATABASE_URL) delete env.DATABASE_URL;

  let output = '';
  let child: ChildProcess;
  const logs = (chars = 20000) => (chars === Infinity ? output : output.slice(-chars));

  const boot = async () => {
    child = spawn(process.execPath, [STRAPI_BIN, 'start'], { cwd: CMS, env, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout!.on('data', (d) => (output += d));
    child.stderr!.on('data', (d) => (output += d));
    await waitForHealth(url, child, options.bootTimeoutMs ?? 90_000, logs);
  };

  const kill = async () => {
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  };

  try {
    await boot();
  } catch (err) {
    await kill();
    await database.drop();
    throw err;
  }

  return {
    url,
    pid: () => child?.pid,
    port,
    db,
    env,
    logs,
    kill,
    restart: async () => {
      await kill();
      await boot();
    },
    stop: async () => {
      await kill();
      await database.drop();
      fs.rmSync(tmp, { recursive: true, force: true });
    },
  };
}

// ---------------------------------------------------------------------------------------------------------------
// HTTP helpers for tests: the first administrator, field-staff users, forms created through the Content Manager.

export interface Json {
  status: number;
  body: any;
}

export const http = async (url: string, init: RequestInit & { json?: unknown; token?: string } = {}): Promise<Json> => {
  const headers = new Headers(init.headers);
  if (init.token) headers.set('Authorization', `Bearer ${init.token}`);
  let body = init.body;
  if (init.json !== undefined) {
    headers.set('Content-Type', 'application/json');
    body = JSON.stringify(init.json);
  }
  const res = await fetch(url, { ...init, headers, body });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    // keep text
  }
  return { status: res.status, body: parsed };
};

export const registerAdmin = async (base: string) => {
  const email = `admin-${randomUUID().slice(0, 8)}@example.com`;
  const password = `Admin-${randomBytes(6).toString('hex')}1`;
  const res = await http(`${base}/admin/register-admin`, {
    method: 'POST',
    json: { email, password, firstname: 'Ada', lastname: 'Admin' },
  });
  if (res.status !== 200) throw new Error(`register-admin failed: ${res.status} ${JSON.stringify(res.body)}`);
  return { email, password, token: res.body.data.token as string };
};

export const roleId = async (base: string, adminToken: string, type: string): Promise<number> => {
  const res = await http(`${base}/users-permissions/roles`, { token: adminToken });
  const role = res.body.roles.find((r: { type: string }) => r.type === type);
  if (!role) throw new Error(`role ${type} not found: ${JSON.stringify(res.body)}`);
  return role.id;
};

/** Creates a confirmed field-staff user through the admin (as an administrator would) and signs them in. */
export const createFieldStaff = async (base: string, adminToken: string) => {
  const username = `field-${randomUUID().slice(0, 8)}`;
  const password = `Field-${randomBytes(6).toString('hex')}1`;
  const role = await roleId(base, adminToken, 'field-staff');
  const created = await http(`${base}/content-manager/collection-types/plugin::users-permissions.user`, {
    method: 'POST',
    token: adminToken,
    json: { username, email: `${username}@example.com`, password, confirmed: true, blocked: false, role: { connect: [{ id: role }] } },
  });
  if (created.status !== 201 && created.status !== 200) {
    throw new Error(`create user failed: ${created.status} ${JSON.stringify(created.body)}`);
  }
  const login = await http(`${base}/api/auth/local`, { method: 'POST', json: { identifier: username, password } });
  if (login.status !== 200) throw new Error(`login failed: ${login.status} ${JSON.stringify(login.body)}`);
  return { username, password, jwt: login.body.jwt as string, id: login.body.user.id as number };
};

const FORM_CM = 'content-manager/collection-types/plugin::eas.form';

/** Creates a form as a draft through the Content Manager and publishes it. Returns its documentId. */
export const createAndPublishForm = async (base: string, adminToken: string, data: Record<string, unknown>) => {
  const created = await http(`${base}/${FORM_CM}`, { method: 'POST', token: adminToken, json: data });
  if (created.status !== 201 && created.status !== 200) {
    throw new Error(`create form failed: ${created.status} ${JSON.stringify(created.body)}`);
  }
  const documentId = created.body.data.documentId as string;
  await publishForm(base, adminToken, documentId);
  return documentId;
};

export const publishForm = async (base: string, adminToken: string, documentId: string, data: Record<string, unknown> = {}) => {
  const res = await http(`${base}/${FORM_CM}/${documentId}/actions/publish`, { method: 'POST', token: adminToken, json: data });
  if (res.status !== 200 && res.status !== 201) throw new Error(`publish failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
};

export const updateForm = async (base: string, adminToken: string, documentId: string, data: Record<string, unknown>) => {
  const res = await http(`${base}/${FORM_CM}/${documentId}`, { method: 'PUT', token: adminToken, json: data });
  if (res.status !== 200) throw new Error(`update failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
};

/** Creates an admin user in an existing admin role and completes its registration; returns its token. */
export const createAdminUser = async (base: string, superToken: string, roleId: number) => {
  const suffix = randomUUID().slice(0, 8);
  const email = `editor-${suffix}@example.com`;
  const name = { firstname: 'Edith', lastname: `Editor ${suffix}` };
  const user = await http(`${base}/admin/users`, { method: 'POST', token: superToken, json: { email, ...name, roles: [roleId] } });
  if (user.status !== 201 && user.status !== 200) throw new Error(`create admin user failed: ${user.status} ${JSON.stringify(user.body)}`);
  const password = `Editor-${randomBytes(6).toString('hex')}1`;
  const registered = await http(`${base}/admin/register`, {
    method: 'POST',
    json: { registrationToken: user.body.data.registrationToken, userInfo: { ...name, password } },
  });
  if (registered.status !== 200) throw new Error(`register admin failed: ${registered.status} ${JSON.stringify(registered.body)}`);
  return { email, password, token: registered.body.data.token as string, name: `${name.firstname} ${name.lastname}` };
};

/** An admin user in the role the plugin creates on first boot ("EAS editor"). */
export const createEditor = async (base: string, superToken: string, roleName = 'EAS editor') => {
  const roles = await http(`${base}/admin/roles`, { token: superToken });
  const role = roles.body.data.find((r: { name: string }) => r.name === roleName);
  if (!role) throw new Error(`admin role "${roleName}" not found`);
  return createAdminUser(base, superToken, role.id);
};

/**
 * Creates an admin role holding exactly `actions` (e.g. plugin::eas.read only), an admin user in it, and returns
 * that user's token — as an administrator would do in Settings.
 */
/** A permission of an admin role as Strapi stores it (Content Manager actions name their subject and fields). */
export interface AdminPermission {
  action: string;
  subject: string | null;
  properties: Record<string, unknown>;
}

/** An admin whose role has exactly these permissions (an action name alone: no subject). */
export const createAdminWithPermissions = async (base: string, superToken: string, actions: (string | AdminPermission)[]) => {
  const role = await http(`${base}/admin/roles`, {
    method: 'POST',
    token: superToken,
    json: { name: `Role ${randomUUID().slice(0, 8)}`, description: 'created by a test' },
  });
  if (role.status !== 201 && role.status !== 200) throw new Error(`create role failed: ${role.status} ${JSON.stringify(role.body)}`);
  const perms = await http(`${base}/admin/roles/${role.body.data.id}/permissions`, {
    method: 'PUT',
    token: superToken,
    json: {
      permissions: actions.map((entry) =>
        typeof entry === 'string' ? { action: entry, subject: null, properties: {}, conditions: [] } : { ...entry, conditions: [] }
      ),
    },
  });
  if (perms.status !== 200) throw new Error(`set permissions failed: ${perms.status} ${JSON.stringify(perms.body)}`);
  return createAdminUser(base, superToken, role.body.data.id);
};

/** Submits a record through the API as field staff would (no media needed for the form). */
export const submitRecord = async (base: string, jwt: string, form: string, data: Record<string, unknown>, formVersion = 1) => {
  const res = await http(`${base}/api/eas/records`, {
    method: 'POST',
    token: jwt,
    json: { clientId: randomUUID(), form, formVersion, data, capturedAt: new Date().toISOString() },
  });
  if (res.status !== 201) throw new Error(`submit failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.data as { documentId: string; reference: string; status: string };
};

/** PUT of a multipart form (photos and signatures). */
export const putMultipart = async (
  url: string,
  token: string | undefined,
  file: { buffer: Buffer; filename: string; type?: string } | null,
  fields: Record<string, string>
): Promise<Json> => {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.set(k, v);
  if (file) form.set('file', new Blob([new Uint8Array(file.buffer)], { type: file.type ?? 'application/octet-stream' }), file.filename);
  return http(url, { method: 'PUT', token, body: form });
};

/**
 * A signature as the capture site sends it: the PNG, the strokes and the content hash the signer endorses — the
 * content the record holds now (GET the record first), which the server checks.
 */
export const putSignature = async (
  base: string,
  jwt: string,
  documentId: string,
  slot: string,
  fields: { png: Buffer; signerName: string; consentText: string; strokes?: unknown; signedAt?: string; contentHash?: string }
) => {
  const contentHash = fields.contentHash ?? (await http(`${base}/api/eas/records/${documentId}`, { token: jwt })).body.data.contentHash;
  return putMultipart(
    `${base}/api/eas/records/${documentId}/signatures/${slot}`,
    jwt,
    { buffer: fields.png, filename: 'signature.png', type: 'image/png' },
    {
      strokes: JSON.stringify(fields.strokes ?? [{ points: [{ x: 1, y: 2, time: Date.now() + Math.random() }] }]),
      signerName: fields.signerName,
      consentText: fields.consentText,
      signedAt: fields.signedAt ?? new Date().toISOString(),
      contentHash,
    }
  );
};

/** POST …/submit, as the device does once its photos and signatures are in. */
export const submitDraft = (base: string, jwt: string, documentId: string) =>
  http(`${base}/api/eas/records/${documentId}/submit`, { method: 'POST', token: jwt });

/**
 * A data export through the admin API as the Exports page runs it: POST /eas/data-exports, progress polled until
 * done, then the file. Throws with the server's answer when a step is refused or the export fails.
 */
export const runDataExport = async (base: string, token: string, body: Record<string, unknown>) => {
  const res = await http(`${base}/eas/data-exports`, { method: 'POST', token, json: body });
  if (res.status !== 202) throw new Error(`POST /eas/data-exports answered ${res.status}: ${JSON.stringify(res.body)}`);
  const id = res.body.data.id as string;
  const deadline = Date.now() + 120_000;
  for (;;) {
    const p = await http(`${base}/eas/data-exports/${id}`, { token });
    if (p.status !== 200) throw new Error(`GET /eas/data-exports/${id} answered ${p.status}: ${JSON.stringify(p.body)}`);
    if (p.body.data.status === 'done') break;
    if (p.body.data.status === 'failed') throw new Error(`export failed: ${p.body.data.error}`);
    if (Date.now() > deadline) throw new Error(`export ${id} not done: ${JSON.stringify(p.body.data)}`);
    await new Promise((r) => setTimeout(r, 150));
  }
  const file = await fetch(`${base}/eas/data-exports/${id}/file`, { headers: { Authorization: `Bearer ${token}` } });
  if (file.status !== 200) throw new Error(`GET /eas/data-exports/${id}/file answered ${file.status}`);
  return {
    id,
    total: res.body.data.total as number,
    type: file.headers.get('content-type'),
    disposition: file.headers.get('content-disposition'),
    bytes: Buffer.from(await file.arrayBuffer()),
  };
};
