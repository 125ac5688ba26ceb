import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    name: 'plugin',
    include: ['server/src/**/__tests__/*.test.ts', 'shared/**/__tests__/*.test.ts', 'admin/src/**/__tests__/*.test.ts'],
    environment: 'node',
  },
});
