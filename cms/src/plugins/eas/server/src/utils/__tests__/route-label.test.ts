import { describe, expect, it } from 'vitest';
import { UNMATCHED_ROUTE, methodLabel, routeLabel } from '../route-label';

describe('routeLabel', () => {
  it("is the matched route's path pattern", () => {
    expect(routeLabel('/api/eas/records/:documentId')).toBe('/api/eas/records/:documentId');
    expect(routeLabel('/metrics')).toBe('/metrics');
  });

  it('is one fixed value for requests that matched no route, so URLs never become labels', () => {
    expect(routeLabel(undefined)).toBe(UNMATCHED_ROUTE);
    expect(routeLabel(null)).toBe(UNMATCHED_ROUTE);
    expect(routeLabel('')).toBe(UNMATCHED_ROUTE);
    expect(routeLabel(42)).toBe(UNMATCHED_ROUTE);
    expect(routeLabel('not-a-path')).toBe(UNMATCHED_ROUTE);
  });

  it('keeps a regular-expression route as its source, and bounds the length', () => {
    expect(routeLabel(/^\/uploads\/(.*)$/)).toBe('^\\/uploads\\/(.*)$');
    expect(routeLabel(`/${'a'.repeat(500)}`)).toHaveLength(120);
  });
});

describe('methodLabel', () => {
  it('keeps the standard methods and folds anything else into OTHER', () => {
    for (const m of ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']) expect(methodLabel(m)).toBe(m);
    expect(methodLabel('PROPFIND')).toBe('OTHER');
    expect(methodLabel('BREW')).toBe('OTHER');
  });
});
