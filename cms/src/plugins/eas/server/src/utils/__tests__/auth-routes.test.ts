import { describe, expect, it } from 'vitest';
import { matchAuthRoute } from '../auth-routes';

describe('matchAuthRoute', () => {
  it('finds every sign-in, registration, password and confirmation route of users-permissions and the admin', () => {
    expect(matchAuthRoute('POST', '/api/auth/local')?.path).toBe('/api/auth/local');
    expect(matchAuthRoute('POST', '/api/auth/local/register')?.path).toBe('/api/auth/local/register');
    expect(matchAuthRoute('GET', '/api/auth/email-confirmation')?.path).toBe('/api/auth/email-confirmation');
    expect(matchAuthRoute('POST', '/admin/login')?.path).toBe('/admin/login');
    expect(matchAuthRoute('GET', '/admin/registration-info')?.path).toBe('/admin/registration-info');
  });

  it('puts spellings the router still routes into the same bucket: case, trailing slashes, percent-encoding, HEAD', () => {
    for (const path of ['/API/Auth/Local', '/api/auth/local/', '/api/auth/local//', '/api/auth/loc%61l', '/admin/LOGIN/']) {
      expect(matchAuthRoute('POST', path), path).not.toBeNull();
    }
    expect(matchAuthRoute('HEAD', '/api/auth/email-confirmation')?.path).toBe('/api/auth/email-confirmation');
  });

  it('gives one bucket to every provider, whatever its name', () => {
    expect(matchAuthRoute('GET', '/api/connect/github')).toBe(matchAuthRoute('GET', '/api/connect/google'));
    expect(matchAuthRoute('GET', '/api/auth/github/callback')).toBe(matchAuthRoute('GET', '/api/auth/x/callback'));
  });

  it('leaves token renewal, sign-out, other methods and other routes alone', () => {
    for (const [method, path] of [
      ['POST', '/api/auth/refresh'],
      ['POST', '/admin/access-token'],
      ['POST', '/api/auth/logout'],
      ['GET', '/api/auth/local'],
      ['POST', '/api/auth/localx'],
      ['POST', '/api/eas/records'],
      ['POST', '/admin/login/extra'],
    ]) {
      expect(matchAuthRoute(method, path), `${method} ${path}`).toBeNull();
    }
  });
});
