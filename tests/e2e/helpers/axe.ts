/**
 * axe-core checks for the end-to-end specs: `expectAccessible(page, 'screen')` runs every
 * rule axe has (WCAG 2.x A/AA and best practices, shadow DOM included) on what is on
 * screen and fails with a readable list of the violations. `inEveryLook` repeats a check
 * in both themes (dark and light) at desktop and phone sizes.
 */
import AxeBuilder from '@axe-core/playwright';
import { expect, type Page } from '@playwright/test';

export interface Look {
  readonly theme: 'dark' | 'light';
  readonly size: 'desktop' | 'phone';
}

export const LOOKS: readonly Look[] = [
  { theme: 'dark', size: 'desktop' },
  { theme: 'light', size: 'desktop' },
  { theme: 'dark', size: 'phone' },
  { theme: 'light', size: 'phone' },
];

export const VIEWPORTS = {
  desktop: { width: 1280, height: 800 },
  phone: { width: 390, height: 844 },
} as const;

/** Show the page in `look`: the system theme (no choice is stored) and the viewport size. */
export async function applyLook(page: Page, look: Look): Promise<void> {
  await page.emulateMedia({ colorScheme: look.theme });
  await page.setViewportSize(VIEWPORTS[look.size]);
  // Let the layout and any transition settle before axe reads colours and sizes.
  await page.evaluate(
    () => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))),
  );
}

/** Run axe on the page (or only inside `include`) and expect no violation at all. */
export async function expectAccessible(
  page: Page,
  screen: string,
  { include }: { include?: string } = {},
): Promise<void> {
  let builder = new AxeBuilder({ page });
  if (include) builder = builder.include(include);
  const { violations } = await builder.analyze();
  const report = violations.map(
    (v) =>
      `${v.id} (${v.impact ?? 'n/a'}): ${v.help}\n` +
      v.nodes
        .slice(0, 6)
        .map(
          (n) => `    ${n.target.join(' ')}\n      ${n.failureSummary?.replace(/\n/g, '\n      ')}`,
        )
        .join('\n'),
  );
  expect.soft(report, `axe violations on ${screen}`).toEqual([]);
}

/** `check` in both themes at both sizes; `prepare` (optional) sets the screen up after each change. */
export async function inEveryLook(
  page: Page,
  screen: string,
  prepare: ((look: Look) => Promise<void>) | null = null,
  looks: readonly Look[] = LOOKS,
): Promise<void> {
  for (const look of looks) {
    await applyLook(page, look);
    if (prepare) await prepare(look);
    await expectAccessible(page, `${screen} (${look.theme}, ${look.size})`);
  }
}
