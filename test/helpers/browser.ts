import { chromium, type Browser, type Page } from 'playwright-core';
import { CHANNELS } from '../../shared/api/channels';
import { dispatch } from '../../electron/services/dispatch';
import type { Handlers } from '../../electron/services/handlers';

/** Debian's Chromium (Playwright cannot download its own browsers here). */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

/**
 * A page whose `window.cairn` is the test bridge in place of IPC: the same channel list as the
 * preload, answered by the real dispatcher. Page errors are collected for the test to assert on.
 */
export async function bridgedPage(browser: Browser, handlers: Handlers, viewport = { width: 1400, height: 1000 }): Promise<{ page: Page; pageErrors: string[] }> {
  const page = await browser.newPage({ viewport });
  await page.exposeFunction('__cairnBridge', (channel: string, input: unknown) => dispatch(handlers, channel, input));
  await page.addInitScript((channels: readonly string[]) => {
    const w = window as unknown as { cairn: unknown; __cairnBridge: (c: string, i: unknown) => Promise<unknown> };
    w.cairn = Object.fromEntries(channels.map((c) => [c, (i: unknown) => w.__cairnBridge(c, i)]));
  }, CHANNELS);
  const pageErrors: string[] = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
  return { page, pageErrors };
}
