import { defineConfig, devices } from '@playwright/test';
import { CHROMIUM_ARGS, findSystemChromium } from '../cms/src/plugins/eas/server/src/utils/chromium';

/**
 * Whole-journey tests on production builds: global-setup boots a built Strapi (which serves the built site at /)
 * on a fresh database. The browser is resolved in global-setup, never downloaded by Playwright: E2E_CHROMIUM_PATH,
 * else the headless shell of @sparticuz/chromium (the full browser's "new" headless mode stalls animation frames and
 * idle callbacks now and then, see findHeadlessShell), else CHROMIUM_PATH or the system's Chromium.
 */
const executablePath = process.env.E2E_CHROMIUM_PATH || process.env.CHROMIUM_PATH || findSystemChromium();

export default defineConfig({
  testDir: '.',
  testMatch: '*.spec.ts',
  outputDir: './test-results',
  globalSetup: './global-setup.ts',
  fullyParallel: false,
  workers: 1,
  retries: 0,
  forbidOnly: Boolean(process.env.CI),
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: [['list'], ['json', { outputFile: './test-results/results.json' }]],
  use: {
    baseURL: process.env.EAS_BASE_URL,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: { executablePath, args: CHROMIUM_ARGS },
  },
  projects: [
    { name: 'desktop', use: { ...devices['Desktop Chrome'], channel: undefined }, testMatch: /admin\..*spec\.ts/ },
    {
      name: 'phone',
      use: {
        ...devices['Pixel 7'],
        channel: undefined,
        // A fake camera (a generated test pattern) that needs no permission prompt; tests that need the camera
        // refused make getUserMedia fail themselves.
        launchOptions: { executablePath, args: [...CHROMIUM_ARGS, '--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream'] },
        permissions: ['camera'],
      },
      testMatch: /site\..*spec\.ts/,
    },
  ],
});
