/**
 * The readable copy of "Your data": one self-contained HTML file (inline CSS, no script,
 * no outside resource). Every text a person wrote is escaped, so a message such as
 * `<img src=x onerror=…>` is shown as those characters and never runs.
 */
import type { AccountExport, ExportMessage } from './export';

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Text made safe for HTML element content and quoted attribute values. */
export const escapeHtml = (s: string): string => s.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);

/** "30 Nov 2026, 14:02 UTC": readable anywhere (the file does not know the reader's zone). */
function when(isoTime: string): string {
  const d = new Date(isoTime);
  return `${d.toLocaleString('en-GB', {
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    timeZone: 'UTC',
  })} UTC`;
}

function message(m: ExportMessage): string {
  const text = m.deleted
    ? '<p class="gone">This message was deleted.</p>'
    : m.text
      ? `<p dir="auto">${escapeHtml(m.text)}</p>`
      : '';
  const files = m.attachments.length
    ? `<ul class="files">${m.attachments
        .map((a) => `<li>Attachment: ${escapeHtml(a.name)} (${escapeHtml(a.type)})</li>`)
        .join('')}</ul>`
    : '';
  const reactions = m.reactions.length
    ? `<p class="reactions">${m.reactions
        .map(
          (r) => `${escapeHtml(r.emoji)} ${r.by.map((p) => escapeHtml(p.displayName)).join(', ')}`,
        )
        .join(' · ')}</p>`
    : '';
  const edited = m.edited ? ` · edited ${escapeHtml(when(m.edited))}` : '';
  return `<li><p class="meta"><strong dir="auto">${escapeHtml(m.from.displayName)}</strong> · <time datetime="${escapeHtml(m.at)}">${escapeHtml(when(m.at))}</time>${edited}</p>${text}${files}${reactions}</li>`;
}

export function renderExportHtml(data: AccountExport): string {
  const p = data.profile;
  const people = (list: { displayName: string }[]): string =>
    list.length
      ? `<ul>${list.map((x) => `<li dir="auto">${escapeHtml(x.displayName)}</li>`).join('')}</ul>`
      : '<p>None.</p>';
  const conversations = data.conversations
    .map(
      (c) =>
        `<section><h3 dir="auto">Conversation with ${escapeHtml(c.with.displayName)}</h3>${
          c.messages.length
            ? `<ol class="messages">${c.messages.map(message).join('')}</ol>`
            : '<p>No messages.</p>'
        }</section>`,
    )
    .join('');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>Parley export: ${escapeHtml(p.displayName)}</title>
<style>
body { font: 16px/1.5 system-ui, sans-serif; max-width: 46rem; margin: 2rem auto; padding: 0 1rem; color: #1b1b1f; }
.meta { margin: 0; color: #4a4a55; font-size: 0.9rem; }
.messages { list-style: none; padding: 0; }
.messages > li { padding: 0.5rem 0; border-bottom: 1px solid #ddd; }
.messages p { margin: 0.2rem 0; white-space: pre-wrap; overflow-wrap: anywhere; }
.gone { font-style: italic; color: #4a4a55; }
</style>
</head>
<body>
<main>
<h1>Your Parley data</h1>
<p>Exported ${escapeHtml(when(data.exportedAt))}.</p>
<h2>Profile</h2>
<dl><dt>Name</dt><dd dir="auto">${escapeHtml(p.displayName)}</dd><dt>E-mail</dt><dd>${escapeHtml(p.email)}</dd></dl>
<h2>Contacts</h2>
${people(data.contacts)}
<h2>Blocked</h2>
${people(data.blocked)}
<h2>Conversations</h2>
${conversations || '<p>None.</p>'}
</main>
</body>
</html>
`;
}
