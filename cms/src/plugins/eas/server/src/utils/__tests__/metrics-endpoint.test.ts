import { describe, expect, it } from 'vitest';
import { bearerToken, tokenMatches } from '../metrics-endpoint';

describe('the metrics token check', () => {
  const token = 'f'.repeat(32);

  it('reads only an exact "Bearer <token>" header', () => {
    expect(bearerToken(`Bearer ${token}`)).toBe(token);
    expect(bearerToken(`bearer ${token}`)).toBeNull();
    expect(bearerToken(`Basic ${token}`)).toBeNull();
    expect(bearerToken(`Bearer ${token} extra`)).toBeNull();
    expect(bearerToken(undefined)).toBeNull();
  });

  it('matches only the configured token, and nothing when none is configured', () => {
    expect(tokenMatches(token, token)).toBe(true);
    expect(tokenMatches(`${token}x`, token)).toBe(false);
    expect(tokenMatches(token.slice(1), token)).toBe(false);
    expect(tokenMatches('e'.repeat(32), token)).toBe(false);
    expect(tokenMatches(null, token)).toBe(false);
    expect(tokenMatches('', '')).toBe(false);
  });
});
