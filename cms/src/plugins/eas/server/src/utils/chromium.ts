import fs from 'fs';

/**
 * Finds a Chromium to drive (PDF export, browser tests). Order: CHROMIUM_PATH, the system's Chromium/Chrome, then
 * the binary shipped inside the optional npm package @sparticuz/chromium — so a fresh `npm install` works without
 * apt. Throws an error that says what to do when none exists.
 */
export const SYSTEM_CHROMIUM_PATHS = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
  '/usr/bin/google-chrome-stable',
  '/snap/bin/chromium',
  '/Applications/Chromium.app/Contents/MacOS/Chromium',
  '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
];

/** Flags for headless Chromium on servers: no sandbox as root, and no background calls to the internet. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-default-apps',
  '--disable-extensions',
  '--no-first-run',
  '--no-default-browser-check',
  '--mute-audio',
];

export type ChromiumSource = 'CHROMIUM_PATH' | 'system' | '@sparticuz/chromium';

export class ChromiumNotFoundError extends Error {
  constructor(detail: string) {
    super(
      `No Chromium found for PDF export and browser tests (${detail}). Install one (Debian: apt-get install chromium ` +
        'fonts-dejavu-core), set CHROMIUM_PATH to its executable, or install the optional npm package @sparticuz/chromium.'
    );
    this.name = 'ChromiumNotFoundError';
  }
}

const isExecutable = (file: string) => {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
};

/** The first system Chromium, or undefined. Synchronous, for configuration files. */
export const findSystemChromium = (candidates = SYSTEM_CHROMIUM_PATHS): string | undefined => candidates.find(isExecutable);

interface PackagedChromium {
  executablePath(): Promise<string>;
}

const loadPackagedChromium = async (): Promise<PackagedChromium | undefined> => {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const mod = require('@sparticuz/chromium') as { default?: PackagedChromium } & PackagedChromium;
    return mod.default ?? mod;
  } catch {
    return undefined;
  }
};

/**
 * The headless-shell build inside @sparticuz/chromium, or undefined when the package is not installed. Browser tests
 * prefer it: the full browser's "new" headless mode (Debian's chromium) now and then stops producing frames, so
 * requestAnimationFrame/requestIdleCallback stall — the Strapi admin renders its action buttons in an idle callback
 * and Playwright waits on animation frames, which made admin tests hang for a minute at random.
 */
export const findHeadlessShell = async (packaged = loadPackagedChromium): Promise<string | undefined> => {
  const mod = await packaged();
  const file = mod ? await mod.executablePath() : undefined;
  return file && isExecutable(file) ? file : undefined;
};

export const resolveChromium = async (
  env: NodeJS.ProcessEnv = process.env,
  options: { candidates?: string[]; packaged?: () => Promise<PackagedChromium | undefined> } = {}
): Promise<{ path: string; source: ChromiumSource }> => {
  const configured = env.CHROMIUM_PATH?.trim();
  if (configured) {
    if (!isExecutable(configured)) throw new ChromiumNotFoundError(`CHROMIUM_PATH=${configured} is not an executable file`);
    return { path: configured, source: 'CHROMIUM_PATH' };
  }
  const system = findSystemChromium(options.candidates);
  if (system) return { path: system, source: 'system' };
  const file = await findHeadlessShell(options.packaged);
  if (file) return { path: file, source: '@sparticuz/chromium' };
  throw new ChromiumNotFoundError('none in CHROMIUM_PATH, the system paths or @sparticuz/chromium');
};
