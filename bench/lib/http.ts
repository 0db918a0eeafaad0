/** A signed-in user over the public HTTP contract: cookie jar of one, Origin header on every request. */
import type { ConversationSummary, HistoryPage, User } from '../../shared/api';

export interface Account {
  user: User;
  /** `parley_session=...`, as sent in the Cookie header. */
  cookie: string;
}

export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

async function call<T>(
  origin: string,
  method: string,
  path: string,
  cookie: string | null,
  body?: unknown,
): Promise<{ body: T; cookie: string | null }> {
  const res = await fetch(`${origin}${path}`, {
    method,
    headers: {
      Origin: origin,
      ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}),
      ...(cookie ? { Cookie: cookie } : {}),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new HttpError(res.status, `${method} ${path}: ${res.status} ${text}`);
  const setCookie = res.headers.get('set-cookie');
  return {
    body: (text ? JSON.parse(text) : null) as T,
    cookie: setCookie ? (setCookie.split(';')[0] ?? null) : null,
  };
}

/** Register a new account (the server hashes the password: BCRYPT_COST=4 for benchmarks). */
export async function register(origin: string, tag: string): Promise<Account> {
  const r = await call<{ user: User }>(origin, 'POST', '/api/auth/register', null, {
    email: `${tag}@bench.example`,
    password: 'benchmark password',
    displayName: tag,
  });
  if (!r.cookie) throw new Error('register returned no session cookie');
  return { user: r.body.user, cookie: r.cookie };
}

export async function openConversation(
  origin: string,
  me: Account,
  peerId: string,
): Promise<ConversationSummary> {
  const r = await call<{ conversation: ConversationSummary }>(
    origin,
    'POST',
    '/api/conversations',
    me.cookie,
    { peerId },
  );
  return r.body.conversation;
}

export async function getConversation(
  origin: string,
  me: Account,
  id: string,
): Promise<ConversationSummary> {
  const r = await call<{ conversation: ConversationSummary }>(
    origin,
    'GET',
    `/api/conversations/${id}`,
    me.cookie,
  );
  return r.body.conversation;
}

export async function historyPage(
  origin: string,
  me: Account,
  id: string,
  limit: number,
  before: string | null,
): Promise<HistoryPage> {
  const q = `limit=${limit}${before ? `&before=${encodeURIComponent(before)}` : ''}`;
  const r = await call<HistoryPage>(
    origin,
    'GET',
    `/api/conversations/${id}/messages?${q}`,
    me.cookie,
  );
  return r.body;
}

/** A unique tag for account names within one benchmark run. */
export function runTag(): string {
  return `b${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`;
}

/** The recipient accepts a message request, so that every message notifies (not only the first). */
export async function acceptConversation(origin: string, me: Account, id: string): Promise<void> {
  await call(origin, 'POST', `/api/conversations/${id}/accept`, me.cookie);
}

/** `POST /api/push/subscriptions`: this session gets pushes at `endpoint`. */
export async function subscribePush(
  origin: string,
  me: Account,
  subscription: { endpoint: string; keys: { p256dh: string; auth: string } },
): Promise<void> {
  await call(origin, 'POST', '/api/push/subscriptions', me.cookie, subscription);
}
