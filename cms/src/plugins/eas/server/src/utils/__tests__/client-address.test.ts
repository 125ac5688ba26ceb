import { describe, expect, it } from 'vitest';
import { clientAddress } from '../client-address';

const req = (xff: string | undefined, peer = '10.0.0.5') =>
  ({ headers: xff === undefined ? {} : { 'x-forwarded-for': xff }, socket: { remoteAddress: peer } }) as never;

describe('clientAddress', () => {
  it('is the TCP peer when no proxy is trusted, whatever X-Forwarded-For claims', () => {
    expect(clientAddress(req('203.0.113.9'), false)).toBe('10.0.0.5');
  });

  it('is the first X-Forwarded-For entry behind a trusted proxy, as Koa decides ctx.request.ip', () => {
    expect(clientAddress(req('203.0.113.9'), true)).toBe('203.0.113.9');
    expect(clientAddress(req(' 203.0.113.9 , 10.0.0.1'), true)).toBe('203.0.113.9');
    expect(clientAddress(req(undefined), true)).toBe('10.0.0.5');
    expect(clientAddress(req(''), true)).toBe('10.0.0.5');
  });
});
