/**
 * A private PostgreSQL server for fault drills: its own data directory and port, so a test can stop and start it
 * (a real database restart) without touching the machine's shared server.
 *
 * Uses the machine's PostgreSQL binaries (Debian: /usr/lib/postgresql/<version>/bin). initdb and postgres refuse to
 * run as root, so as root the server runs as the `postgres` user (runuser); otherwise as the current user.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from './harness';

export interface PrivatePostgres {
  /** Superuser URL of the server's `postgres` database (trust authentication, 127.0.0.1 only). */
  url: string;
  port: number;
  /** Fast shutdown: open transactions are aborted and every client is disconnected, as in a restart. */
  down: () => void;
  /** Starts the server again on the same port and data; resolves when it accepts connections. */
  up: () => void;
  /** Stops the server and deletes its data. */
  destroy: () => void;
  log: () => string;
}

const binDir = (): string | null => {
  const root = '/usr/lib/postgresql';
  const versions = fs.existsSync(root) ? fs.readdirSync(root).filter((v) => fs.existsSync(path.join(root, v, 'bin/initdb'))) : [];
  versions.sort((a, b) => Number(b) - Number(a));
  if (versions.length) return path.join(root, versions[0], 'bin');
  const found = spawnSync('sh', ['-c', 'command -v initdb'], { encoding: 'utf8' }).stdout.trim();
  return found ? path.dirname(found) : null;
};

const postgresUser = () => {
  try {
    return {
      uid: Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' })),
      gid: Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' })),
    };
  } catch {
    return null;
  }
};

/** Why a private server cannot be started here, or null when it can. */
export const privatePostgresUnavailable = (): string | null => {
  if (!binDir()) return 'no PostgreSQL server binaries (initdb) on this machine';
  if (process.getuid?.() === 0 && !postgresUser()) return 'running as root and there is no `postgres` user to run the server as';
  return null;
};

export async function startPrivatePostgres(): Promise<PrivatePostgres> {
  const reason = privatePostgresUnavailable();
  if (reason) throw new Error(`Cannot start a private PostgreSQL: ${reason}`);
  const bin = binDir()!;
  const port = await freePort();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eas-pg-'));
  const data = path.join(dir, 'data');
  const logFile = path.join(dir, 'server.log');
  const asRoot = process.getuid?.() === 0;
  if (asRoot) {
    const owner = postgresUser()!;
    fs.chownSync(dir, owner.uid, owner.gid);
  }
  const run = (tool: string, args: string[]) => {
    const [cmd, argv] = asRoot ? ['runuser', ['-u', 'postgres', '--', path.join(bin, tool), ...args]] : [path.join(bin, tool), args];
    const res = spawnSync(cmd, argv, { encoding: 'utf8', timeout: 60_000 });
    if (res.status !== 0) throw new Error(`${tool} ${args.join(' ')} failed (${res.status}): ${res.stderr || res.stdout}\n${log()}`);
  };
  const log = () => (fs.existsSync(logFile) ? fs.readFileSync(logFile, 'utf8').slice(-4000) : '');
  // Durability settings off: this server holds throwaway test data and must start and stop quickly.
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=100`;
  const up = () => run('pg_ctl', ['-D', data, '-o', options, '-l', logFile, '-w', '-t', '30', 'start']);
  const down = () => run('pg_ctl', ['-D', data, '-m', 'fast', '-w', '-t', '30', 'stop']);

  run('initdb', ['-D', data, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--no-sync']);
  up();
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    down,
    up,
    log,
    destroy: () => {
      try {
        run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
      } catch {
        // already stopped
      }
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
