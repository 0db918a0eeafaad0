/**
 * The colour theme: "system" (follow `prefers-color-scheme`; dark unless the system asks
 * for light), "dark" or "light". Remembered in localStorage and applied as
 * `data-theme` on the root element, which theme.css reads.
 */
import { SnapshotStore } from './store';

export type ThemeChoice = 'system' | 'dark' | 'light';

export const THEME_KEY = 'parley:theme';

export const isThemeChoice = (v: unknown): v is ThemeChoice =>
  v === 'system' || v === 'dark' || v === 'light';

export class ThemeStore extends SnapshotStore<ThemeChoice> {
  constructor(
    private readonly storage: Storage | null = typeof localStorage === 'undefined'
      ? null
      : localStorage,
    private readonly root: HTMLElement | null = typeof document === 'undefined'
      ? null
      : document.documentElement,
  ) {
    let stored: unknown = null;
    try {
      stored = storage?.getItem(THEME_KEY) ?? null;
    } catch {
      stored = null;
    }
    super(isThemeChoice(stored) ? stored : 'system');
    this.apply();
  }

  choose(choice: ThemeChoice): void {
    try {
      if (choice === 'system') this.storage?.removeItem(THEME_KEY);
      else this.storage?.setItem(THEME_KEY, choice);
    } catch {
      // Storage disabled: the choice lasts for this page only.
    }
    this.set(choice);
    this.apply();
  }

  private apply(): void {
    if (!this.root) return;
    if (this.snapshot === 'system') delete this.root.dataset.theme;
    else this.root.dataset.theme = this.snapshot;
  }
}
