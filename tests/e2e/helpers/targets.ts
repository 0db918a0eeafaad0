/**
 * Touch targets: every visible control on the page (through shadow roots) and its size, so
 * a phone-layout spec can expect each to be at least 44×44 CSS pixels. Links inside running
 * text are exempt (WCAG 2.5.8), as are controls the browser hides off screen.
 */
import type { Page } from '@playwright/test';

export interface SmallTarget {
  readonly what: string;
  readonly width: number;
  readonly height: number;
}

/** The visible controls smaller than `min` px in either direction. */
export function smallTargets(page: Page, min = 44): Promise<SmallTarget[]> {
  return page.evaluate((min) => {
    const selector =
      'a[href], button, input:not([type="hidden"]), textarea, select, summary, [role="button"], [role="link"], [role="menuitem"], [role="radio"], [role="checkbox"], [role="tab"]';
    const found: Element[] = [];
    const walk = (root: Document | ShadowRoot): void => {
      for (const el of root.querySelectorAll('*')) {
        if (el.matches(selector)) found.push(el);
        if (el.shadowRoot) walk(el.shadowRoot);
      }
    };
    walk(document);
    const small: { what: string; width: number; height: number }[] = [];
    for (const el of found) {
      const box = el.getBoundingClientRect();
      if (box.width === 0 || box.height === 0) continue;
      const style = getComputedStyle(el);
      if (style.visibility === 'hidden') continue;
      // Off screen, or a visually hidden helper.
      if (box.bottom < 0 || box.right < 0 || box.top > innerHeight || box.left > innerWidth)
        continue;
      if (box.width <= 1 && box.height <= 1) continue;
      // A link in running text (a message, a note) is exempt.
      if (el.tagName === 'A' && getComputedStyle(el).display === 'inline') {
        const parent = el.parentElement;
        if (parent && (parent.textContent ?? '').trim() !== (el.textContent ?? '').trim()) continue;
      }
      // A radio or checkbox inside a label: the label is the target.
      const label = el.closest('label');
      const target = label && (el as HTMLInputElement).type !== 'text' ? label : el;
      const t = target.getBoundingClientRect();
      if (t.width + 0.5 < min || t.height + 0.5 < min) {
        const name =
          el.getAttribute('aria-label') ??
          (el.textContent ?? '').trim().replace(/\s+/g, ' ').slice(0, 40) ??
          '';
        const host = (el.getRootNode() as ShadowRoot).host?.tagName.toLowerCase() ?? 'document';
        small.push({
          what: `${host} ${el.tagName.toLowerCase()}${el.className ? `.${String(el.className).split(' ').join('.')}` : ''} "${name}"`,
          width: Math.round(t.width),
          height: Math.round(t.height),
        });
      }
    }
    return small;
  }, min);
}
