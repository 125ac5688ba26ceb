import fs from 'fs';
import os from 'os';
import path from 'path';
import { afterAll, describe, expect, it } from 'vitest';
import { ChromiumNotFoundError, findHeadlessShell, resolveChromium } from '../chromium';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eas-chromium-'));
const fakeBrowser = path.join(dir, 'chrome');
fs.writeFileSync(fakeBrowser, '#!/bin/sh\n', { mode: 0o755 });
const notExecutable = path.join(dir, 'plain');
fs.writeFileSync(notExecutable, '', { mode: 0o644 });

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('resolveChromium', () => {
  it('uses CHROMIUM_PATH first', async () => {
    await expect(resolveChromium({ CHROMIUM_PATH: fakeBrowser }, { candidates: [] })).resolves.toEqual({
      path: fakeBrowser,
      source: 'CHROMIUM_PATH',
    });
  });

  it('says which CHROMIUM_PATH is wrong instead of silently falling back', async () => {
    await expect(resolveChromium({ CHROMIUM_PATH: notExecutable }, { candidates: [fakeBrowser] })).rejects.toThrow(
      /CHROMIUM_PATH=.*plain is not an executable/
    );
  });

  it('then the first executable system path', async () => {
    await expect(resolveChromium({}, { candidates: [notExecutable, fakeBrowser] })).resolves.toEqual({
      path: fakeBrowser,
      source: 'system',
    });
  });

  it('then the Chromium shipped in the npm package', async () => {
    const packaged = async () => ({ executablePath: async () => fakeBrowser });
    await expect(resolveChromium({}, { candidates: [], packaged })).resolves.toEqual({
      path: fakeBrowser,
      source: '@sparticuz/chromium',
    });
  });

  it('fails with instructions when there is none', async () => {
    const err = await resolveChromium({}, { candidates: [], packaged: async () => undefined }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ChromiumNotFoundError);
    expect((err as Error).message).toMatch(/apt-get install chromium/);
  });
});

describe('findHeadlessShell (the browser the Playwright tests prefer)', () => {
  it('is the packaged build when it is installed and executable, else nothing', async () => {
    await expect(findHeadlessShell(async () => ({ executablePath: async () => fakeBrowser }))).resolves.toBe(fakeBrowser);
    await expect(findHeadlessShell(async () => ({ executablePath: async () => notExecutable }))).resolves.toBeUndefined();
    await expect(findHeadlessShell(async () => undefined)).resolves.toBeUndefined();
  });
});
