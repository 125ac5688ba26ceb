import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    name: 'plugin',
    include: ['server/src/**/__tests__/*.test.ts', 'shared/**/__tests__/*.test.ts', 'admin/src/**/__tests__/*.test.ts'],
    environment: 'node',
    // Some unit tests drive real Chromium, openssl or the C2PA WebAssembly module: on a loaded 2-core machine one
    // PDF can take longer than vitest's 5 s default. A limit against hanging, not a measurement.
    testTimeout: 60_000,
  },
});
