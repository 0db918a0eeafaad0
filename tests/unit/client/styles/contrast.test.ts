/**
 * Own-bubble contrast, computed from the theme tokens in client/styles/theme.css: the
 * timestamp, the text and the read/delivered ticks must reach 4.5:1 (WCAG AA) against
 * every colour of the own bubble's gradient, in the dark and the light theme.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const css = readFileSync(new URL('../../../../client/styles/theme.css', import.meta.url), 'utf8');

type Rgba = [number, number, number, number];

/** The custom properties declared in the block that follows `selector`'s first `{`. */
function block(selector: string): Map<string, string> {
  const start = css.indexOf(selector);
  if (start < 0) throw new Error(`no ${selector} in theme.css`);
  const open = css.indexOf('{', start);
  const close = css.indexOf('}', open);
  const tokens = new Map<string, string>();
  for (const m of css.slice(open + 1, close).matchAll(/(--[\w-]+)\s*:\s*([^;]+);/g)) {
    tokens.set(m[1] as string, (m[2] as string).trim());
  }
  return tokens;
}

const dark = block(':root {');
const lightChosen = new Map([...dark, ...block(":root[data-theme='light'] {")]);
const lightSystem = new Map([...dark, ...block(':root:not([data-theme]) {')]);

function resolve(tokens: Map<string, string>, name: string): string {
  let value = tokens.get(name);
  for (let i = 0; value?.startsWith('var(') && i < 5; i++) {
    value = tokens.get(value.slice(4, -1).trim());
  }
  if (value === undefined) throw new Error(`${name} is not defined`);
  return value;
}

function colour(value: string): Rgba {
  const hex = /^#([0-9a-f]{6})$/i.exec(value);
  if (hex) {
    const n = parseInt(hex[1] as string, 16);
    return [(n >> 16) & 255, (n >> 8) & 255, n & 255, 1];
  }
  const rgb = /^rgba?\(([^)]+)\)$/.exec(value);
  if (rgb) {
    const [r, g, b, a = '1'] = (rgb[1] as string).split(',').map((x) => x.trim());
    return [Number(r), Number(g), Number(b), Number(a)];
  }
  throw new Error(`not a colour: ${value}`);
}

/** Every colour stop of a gradient (or the one colour). */
function stops(value: string): Rgba[] {
  const found = value.match(/#[0-9a-f]{6}|rgba?\([^)]+\)/gi) ?? [];
  return found.map(colour);
}

const channel = (c: number): number => {
  const s = c / 255;
  return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
};
const luminance = ([r, g, b]: Rgba): number =>
  0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);

/** WCAG contrast of `fg` (alpha-blended over `bg`) against `bg`. */
function contrast(fg: Rgba, bg: Rgba): number {
  const a = fg[3];
  const over: Rgba = [
    fg[0] * a + bg[0] * (1 - a),
    fg[1] * a + bg[1] * (1 - a),
    fg[2] * a + bg[2] * (1 - a),
    1,
  ];
  const [hi, lo] = [luminance(over), luminance(bg)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

describe('own-bubble contrast', () => {
  it('computes WCAG contrast (black on white is 21:1)', () => {
    expect(contrast([0, 0, 0, 1], [255, 255, 255, 1])).toBeCloseTo(21, 5);
  });

  for (const [theme, tokens] of [
    ['dark', dark],
    ['light (chosen)', lightChosen],
    ['light (system)', lightSystem],
  ] as const) {
    it(`${theme}: time, text and ticks reach 4.5:1 on every colour of the own bubble`, () => {
      const backgrounds = stops(resolve(tokens, '--bubble-mine'));
      expect(backgrounds.length).toBeGreaterThanOrEqual(1);
      for (const bg of backgrounds) {
        for (const name of ['--bubble-mine-meta', '--bubble-mine-text', '--tick-read']) {
          const ratio = contrast(colour(resolve(tokens, name)), bg);
          expect(ratio, `${name} on ${bg.join(',')}`).toBeGreaterThanOrEqual(4.5);
        }
      }
      // The ticks drawn inside the read disc stand out from it too.
      const disc = colour(resolve(tokens, '--tick-read'));
      expect(contrast(colour(resolve(tokens, '--tick-read-ink')), disc)).toBeGreaterThanOrEqual(
        4.5,
      );
    });
  }

  it('read and delivered differ in colour: the read disc is not the timestamp colour', () => {
    for (const tokens of [dark, lightChosen, lightSystem]) {
      expect(resolve(tokens, '--tick-read')).not.toBe(resolve(tokens, '--bubble-mine-meta'));
    }
  });
});
