import { resolve } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { CHANNELS } from '../../shared/api/channels';
import { dispatch } from '../../electron/services/dispatch';
import type { Handlers } from '../../electron/services/handlers';
import { startWebServer } from '../../electron/web/web-server';

/** Debian's Chromium (Playwright cannot download its own browsers here). */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

/**
 * A page whose `window.cairn` is the test bridge in place of IPC: the same channel list as the
 * preload, answered by the real dispatcher. Page errors are collected for the test to assert on.
 */
export async function bridgedPage(
  browser: Browser,
  handlers: Handlers,
  viewport = { width: 1400, height: 1000 },
): Promise<{ page: Page; pageErrors: string[] }> {
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

export interface BridgedApp {
  /** A new page on the built renderer, bridged to the handlers, already loaded. */
  open: (viewport?: { width: number; height: number }) => Promise<{ page: Page; pageErrors: string[] }>;
  close: () => Promise<void>;
}

/** Serves the built renderer and launches Chromium for tests that bridge to one clinic's handlers. */
export async function startBridgedApp(handlers: Handlers): Promise<BridgedApp> {
  const server = await startWebServer({ handlers, rendererDir: resolve('out/renderer'), token: 'unused-by-the-bridge' });
  const browser = await launchChromium();
  return {
    open: async (viewport) => {
      const opened = await bridgedPage(browser, handlers, viewport);
      await opened.page.goto(server.url);
      return opened;
    },
    close: async () => {
      await browser.close();
      await server.close();
    },
  };
}
