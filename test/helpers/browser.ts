// Headless Chromium for the dashboard tests (test/browser/): Debian's `chromium` driven by playwright-core,
// one browser per test file, a fresh profile each time. Tests skip with the reason when it is missing.
// Screenshots go to test-artifacts/ (gitignored), and their paths are printed.
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { ROOT } from './daemon.js';

export const CHROMIUM = process.env.TEND_TEST_CHROMIUM ?? '/usr/bin/chromium';
export const ARTIFACTS = join(ROOT, 'test-artifacts');

/** False when the browser can run here, else why not (for `test(…, { skip })`). */
export function chromiumMissing(): string | false {
  if (!existsSync(CHROMIUM))
    return `no Chromium at ${CHROMIUM} (Debian: apt-get install chromium; or set TEND_TEST_CHROMIUM)`;
  return false;
}

export async function launchChromium(): Promise<Browser> {
  const { chromium } = await import('playwright-core');
  // playwright gives every launch a fresh temporary profile (user-data-dir) and removes it on close.
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    timeout: 30_000,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** Saves a full-page screenshot as test-artifacts/<name>.png and prints where. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const path = join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  console.log(`# screenshot: ${path}`);
  return path;
}
