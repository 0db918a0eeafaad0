/** How the admin CLI prints accounts, invites and the audit log for people (`--json` aside). */
import type { AdminUserRow, AuditEntry, InviteRow } from '../store/admin-store';

const when = (ms: number | null): string => (ms === null ? '-' : new Date(ms).toISOString());

export function userFlags(u: AdminUserRow): string {
  const flags = [
    u.admin ? 'admin' : null,
    u.deleted !== null ? 'deleted' : u.disabled ? 'disabled' : null,
  ].filter((f) => f !== null);
  return flags.length > 0 ? flags.join(',') : 'active';
}

/** Aligned columns, one row per line. */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]): string =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)].join('\n');
}

export function usersTable(users: readonly AdminUserRow[]): string {
  if (users.length === 0) return 'No accounts.';
  return table(
    ['ID', 'E-MAIL', 'NAME', 'STATUS', 'CREATED'],
    users.map((u) => [u.id, u.email, u.displayName, userFlags(u), when(u.created)]),
  );
}

export function userDetails(u: AdminUserRow): string {
  return [
    `ID:        ${u.id}`,
    `E-mail:    ${u.email}`,
    `Name:      ${u.displayName}`,
    `Status:    ${userFlags(u)}`,
    `Created:   ${when(u.created)}`,
    `Last seen: ${when(u.lastSeen)}`,
    ...(u.deleted !== null ? [`Deleted:   ${when(u.deleted)}`] : []),
  ].join('\n');
}

export function inviteState(i: InviteRow, now: number): string {
  if (i.revoked !== null) return 'revoked';
  if (i.expires <= now) return 'expired';
  if (i.used >= i.maxUses) return 'used up';
  return 'valid';
}

export function invitesTable(invites: readonly InviteRow[], now: number): string {
  if (invites.length === 0) return 'No invites.';
  return table(
    ['ID', 'STATE', 'USED', 'EXPIRES', 'CREATED BY'],
    invites.map((i) => [
      i.id,
      inviteState(i, now),
      `${i.used}/${i.maxUses}`,
      when(i.expires),
      i.createdBy,
    ]),
  );
}

export function auditTable(entries: readonly AuditEntry[]): string {
  if (entries.length === 0) return 'The audit log is empty.';
  return table(
    ['WHEN', 'WHO', 'WHAT', 'TARGET', 'DETAIL'],
    entries.map((e) => [when(e.at), e.actor, e.action, e.target ?? '-', e.detail ?? '']),
  );
}
