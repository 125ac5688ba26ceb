/**
 * One webhook POST (docs/webhooks.md). The host is resolved here and every address checked (utils/webhook-address.ts)
 * before connecting; the socket connects to the address that was checked (the `lookup` hook), so a DNS answer that
 * changes between check and connect (rebinding) cannot reach an internal address. Redirects are not followed: a 3xx
 * is a failed attempt. Bounded by a timeout; the response body is read up to 4 KB and dropped.
 */
import { lookup as dnsLookup, type LookupAddress } from 'dns';
import http from 'http';
import https from 'https';
import type { LookupFunction } from 'net';
import { isInternalAddress, literalIp } from './webhook-address';

export interface SendResult {
  ok: boolean;
  statusCode: number | null;
  error: string | null;
}

export class BlockedAddressError extends Error {}

/** dns.lookup that refuses internal addresses (unless allowed) and answers only with the address checked. */
const guardedLookup =
  (allowInternal: boolean): LookupFunction =>
  (hostname, options, callback) => {
    dnsLookup(hostname, { all: true }, (err, addresses: LookupAddress[]) => {
      if (err) return callback(err, '', 0);
      const bad = addresses.find((a) => isInternalAddress(a.address));
      if (bad && !allowInternal)
        return callback(new BlockedAddressError(`${hostname} resolves to an internal address (${bad.address}): refused`), '', 0);
      const chosen = addresses[0];
      if (!chosen) return callback(new Error(`${hostname} has no address`), '', 0);
      if ((options as { all?: boolean }).all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, [chosen]);
      callback(null, chosen.address, chosen.family);
    });
  };

export const sendWebhook = (
  url: string,
  body: string,
  headers: Record<string, string>,
  opts: { timeoutMs: number; allowInternal: boolean }
): Promise<SendResult> =>
  new Promise((resolve) => {
    let target: URL;
    try {
      target = new URL(url);
    } catch {
      return resolve({ ok: false, statusCode: null, error: 'invalid URL' });
    }
    const ip = literalIp(target.hostname);
    if (ip && isInternalAddress(ip) && !opts.allowInternal) {
      return resolve({ ok: false, statusCode: null, error: `${ip} is an internal address: refused` });
    }
    const client = target.protocol === 'https:' ? https : http;
    let settled = false;
    const done = (r: SendResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(r);
    };
    const req = client.request(
      target,
      {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': 'EAS-Webhooks/1',
          'content-length': Buffer.byteLength(body),
          ...headers,
        },
        lookup: guardedLookup(opts.allowInternal),
        agent: false,
      },
      (res) => {
        const code = res.statusCode ?? 0;
        let read = 0;
        res.on('data', (chunk: Buffer) => {
          read += chunk.length;
          if (read > 4096) res.destroy();
        });
        const finish = () => {
          if (code >= 200 && code < 300) return done({ ok: true, statusCode: code, error: null });
          if (code >= 300 && code < 400)
            return done({ ok: false, statusCode: code, error: `redirect to ${res.headers.location ?? '(no location)'} not followed` });
          done({ ok: false, statusCode: code, error: `answered ${code}` });
        };
        res.on('end', finish);
        res.on('close', finish);
        res.on('error', finish);
      }
    );
    const timer = setTimeout(() => {
      req.destroy();
      done({ ok: false, statusCode: null, error: `no answer within ${opts.timeoutMs} ms` });
    }, opts.timeoutMs);
    req.on('error', (err) => done({ ok: false, statusCode: null, error: err.message }));
    req.end(body);
  });
