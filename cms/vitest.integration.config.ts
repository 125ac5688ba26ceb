import { defineConfig } from 'vitest/config';

// Integration tests boot a real, built Strapi per suite (SQLite, and PostgreSQL when DATABASE_URL is set).
export default defineConfig({
  test: {
    name: 'integration',
    include: ['tests/integration/**/*.test.ts'],
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 180_000,
    fileParallelism: false,
    sequence: { concurrent: false },
  },
});
