/** Read Prometheus metrics the way a scraper does: over HTTP, then parse the text format. */

export async function scrape(
  url: string,
  token?: string,
): Promise<{ status: number; text: string; type: string | null }> {
  const res = await fetch(url, {
    headers: token !== undefined ? { Authorization: `Bearer ${token}` } : {},
  });
  return { status: res.status, text: await res.text(), type: res.headers.get('content-type') };
}

/**
 * The value of one sample, e.g. `metric(text, 'parley_updates_refused_total', { reason:
 * 'invalid' })`; undefined when the sample is not in the text.
 */
export function metric(
  text: string,
  name: string,
  labels: Record<string, string> = {},
): number | undefined {
  const wanted = Object.entries(labels);
  for (const line of text.split('\n')) {
    if (line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{([^}]*)\})?\s+(\S+)/.exec(line);
    if (!m || m[1] !== name) continue;
    const got = new Map(
      [...(m[3] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)].map((l) => [
        l[1],
        l[2],
      ]),
    );
    if (wanted.every(([k, v]) => got.get(k) === v)) return Number(m[4]);
  }
  return undefined;
}
