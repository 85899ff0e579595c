// A real headless Chromium (Debian's `chromium`) driven by puppeteer-core, with a fresh profile each launch.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import puppeteer, { type Browser } from 'puppeteer-core';
import { requireBinary } from './system-binary.js';

export const chromium = requireBinary('Chromium (Debian package chromium)', 'chromium', 'chromium-browser', '/usr/bin/chromium');

export async function launchBrowser(): Promise<{ browser: Browser; close: () => Promise<void> }> {
  const profile = mkdtempSync(join(tmpdir(), 'hpm-chromium-'));
  const browser = await puppeteer.launch({
    executablePath: chromium!,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      `--user-data-dir=${profile}`,
    ],
  });
  return {
    browser,
    close: async () => {
      await browser.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
