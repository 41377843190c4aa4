/** What the browser tests do on every page: watch for console errors and refused API calls, fill React Aria fields, take screenshots at both sizes. */
import { join } from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { SCREENSHOTS } from './browser.ts';

export const DESKTOP = { width: 1440, height: 900 };
export const PHONE = { width: 390, height: 844 };

export type Watched = { page: Page; problems: string[] };

/**
 * A page whose console errors and 4xx/5xx API answers are collected: routine screens must
 * produce none (the app asks only for what the role may see).
 */
export async function watchedPage(browser: Browser, viewport = DESKTOP): Promise<Watched> {
  const context = await browser.newContext({ viewport, ...(viewport === PHONE ? { isMobile: true, hasTouch: true } : {}) });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('response', (r) => {
    if (r.status() >= 400 && new URL(r.url()).pathname.startsWith('/api/'))
      problems.push(`${r.status()} ${r.request().method()} ${new URL(r.url()).pathname}`);
  });
  return { page, problems };
}

/** Types a date into a React Aria date field (month, day, year segments in en-US). */
export async function fillDate(scope: Page | Locator, label: string, iso: string): Promise<void> {
  const [y, m, d] = iso.split('-');
  const segment = scope.getByRole('group', { name: label, exact: true }).first().getByRole('spinbutton').first();
  await segment.click();
  const page = 'goto' in scope ? scope : scope.page();
  await page.keyboard.type(`${m}${d}${y}`);
}

/** Picks a time zone in the searchable picker. */
export async function pickTimeZone(scope: Page | Locator, label: string, zone: string): Promise<void> {
  const box = scope.getByRole('combobox', { name: label });
  await box.fill(zone.split('/').pop()?.replaceAll('_', ' ') ?? zone);
  const page = 'goto' in scope ? scope : scope.page();
  await page.getByRole('option', { name: zone.replaceAll('_', ' '), exact: true }).click();
}

export async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}
