import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import axe from 'axe-core';
import type { Page } from 'playwright-core';

/** The rule sets the clinic's screens must pass: WCAG 2.1 levels A and AA. */
export const WCAG_21_AA = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] as const;

const shots = resolve('test-results', 'a11y');

interface AxeNode {
  target: unknown[];
  html: string;
  failureSummary?: string;
}
interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: AxeNode[];
}

/** One line per element: rule, impact, where and what, so a failed run says what to fix without a rerun. */
export function describeViolations(violations: readonly AxeViolation[]): string {
  return violations
    .flatMap((v) =>
      v.nodes.map((n) => {
        const html = n.html.replace(/\s+/g, ' ').slice(0, 140);
        const why = (n.failureSummary ?? '').split('\n').slice(1, 2).join('').trim().slice(0, 160);
        return `- ${v.id} (${v.impact ?? 'n/a'}): ${v.help}\n    at ${n.target.map(String).join(' > ')}\n    html ${html}${why ? `\n    ${why}` : ''}`;
      }),
    )
    .join('\n');
}

/**
 * Runs axe-core's WCAG 2.1 A/AA rules over the whole document (dialogs are portals outside the
 * main tree) and returns the violations. Important: the renderer's CSP forbids inline scripts, so
 * `page.addScriptTag({ content })` is refused by the page itself; axe's source is evaluated through
 * the DevTools protocol instead, which CSP does not govern, and the page under test keeps its real CSP.
 */
export async function axeViolations(page: Page): Promise<AxeViolation[]> {
  const present = await page.evaluate(() => typeof (window as { axe?: unknown }).axe === 'object');
  if (!present) await page.evaluate(axe.source);
  // Transitions (a dialog fading in) make colours half-way and give false contrast failures.
  await page.waitForTimeout(300);
  return page.evaluate(
    async (tags) => {
      const w = window as unknown as { axe: { run: (ctx: Document, o: unknown) => Promise<{ violations: AxeViolation[] }> } };
      const r = await w.axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
      return r.violations.map((v) => ({
        id: v.id,
        impact: v.impact,
        help: v.help,
        nodes: v.nodes.map((n) => ({ target: n.target, html: n.html, failureSummary: n.failureSummary })),
      }));
    },
    [...WCAG_21_AA],
  );
}

/**
 * Saves a screenshot of the screen under test-results/a11y/ and fails with a readable list of every
 * WCAG 2.1 A/AA violation axe-core finds on it.
 */
export async function expectAccessible(page: Page, screen: string): Promise<void> {
  mkdirSync(shots, { recursive: true });
  const violations = await axeViolations(page);
  await page.screenshot({ path: join(shots, `${screen}.png`), fullPage: true });
  if (violations.length > 0) {
    const count = violations.reduce((n, v) => n + v.nodes.length, 0);
    throw new Error(`${screen}: axe-core found ${count} WCAG 2.1 A/AA violation(s):\n${describeViolations(violations)}`);
  }
}

/**
 * Checks screen after screen and reports every inaccessible one at the end, so one run lists all
 * that needs fixing instead of stopping at the first screen.
 */
export function screenChecker(page: Page): { check: (screen: string) => Promise<void>; assertAllPassed: () => void } {
  const failures: string[] = [];
  return {
    check: async (screen) => {
      try {
        await expectAccessible(page, screen);
      } catch (e) {
        failures.push((e as Error).message);
      }
    },
    assertAllPassed: () => {
      if (failures.length > 0) throw new Error(failures.join('\n\n'));
    },
  };
}
