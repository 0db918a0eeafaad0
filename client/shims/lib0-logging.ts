/**
 * What yjs takes from `lib0/logging` (print, warn and the style markers), printed plainly.
 * lib0's own module also brings its styled in-page console, which imports `lib0/dom` and,
 * through it, `lib0/schema` (about 8 KB minified that every first load would carry for two
 * rare warnings). vite.config.ts resolves yjs's import of `lib0/logging` here in the build
 * (docs/benchmarks.md, "Issue #12's regression").
 */
export const BOLD = Symbol('bold');
export const UNBOLD = Symbol('unbold');
export const RED = Symbol('red');
export const ORANGE = Symbol('orange');

/** The arguments without lib0's style markers. */
const plain = (args: readonly unknown[]): unknown[] => args.filter((a) => typeof a !== 'symbol');

export const print = (...args: unknown[]): void => console.log(...plain(args));

export const warn = (...args: unknown[]): void => console.warn(...plain(args));
