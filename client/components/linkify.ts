/**
 * Splits message text into plain text and web links, so a template can render links as
 * `<a>` elements through Lit bindings: text is never parsed as HTML. Only `http:` and
 * `https:` URLs become links (never `javascript:`, `data:` and the like).
 */

export type TextToken =
  { kind: 'text'; text: string } | { kind: 'link'; text: string; href: string };

const URL_CANDIDATE = /\bhttps?:\/\/[^\s<>"'`]+/gi;
/** Punctuation that ends a sentence rather than the URL. */
const TRAILING = /[.,;:!?'"\]}>*]+$/;

/** Drop trailing punctuation, and closing parentheses that were not opened in the URL. */
function trimUrl(candidate: string): string {
  let url = candidate.replace(TRAILING, '');
  while (url.endsWith(')')) {
    const opens = url.split('(').length - 1;
    const closes = url.split(')').length - 1;
    if (closes <= opens) break;
    url = url.slice(0, -1).replace(TRAILING, '');
  }
  return url;
}

function safeHref(url: string): string | null {
  try {
    const parsed = new URL(url);
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return null;
    if (parsed.hostname === '') return null;
    return parsed.href;
  } catch {
    return null;
  }
}

export function tokenize(text: string): TextToken[] {
  const tokens: TextToken[] = [];
  let last = 0;
  const pushText = (t: string): void => {
    if (t === '') return;
    const prev = tokens[tokens.length - 1];
    if (prev?.kind === 'text') prev.text += t;
    else tokens.push({ kind: 'text', text: t });
  };
  for (const match of text.matchAll(URL_CANDIDATE)) {
    const start = match.index;
    const url = trimUrl(match[0]);
    const href = url === '' ? null : safeHref(url);
    if (!href) continue;
    pushText(text.slice(last, start));
    tokens.push({ kind: 'link', text: url, href });
    last = start + url.length;
  }
  pushText(text.slice(last));
  return tokens;
}
