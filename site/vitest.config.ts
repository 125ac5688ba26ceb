import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    name: 'site',
    include: ['src/**/__tests__/*.test.ts'],
    environment: 'node',
    setupFiles: ['src/lib/__tests__/english.ts'],
  },
});
