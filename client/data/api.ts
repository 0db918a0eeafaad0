/**
 * Typed access to Parley's HTTP API. Every call resolves to the parsed body or throws
 * an `ApiError` carrying the server's code and user-readable message (or `network`
 * when the server could not be reached at all).
 */
import type {
  ConversationSummary,
  DeviceSession,
  DirectoryUser,
  HistoryPage,
  MuteDuration,
  NotificationSettings,
  PrivacySettings,
  SearchResult,
  SearchResults,
  User,
} from '../../shared/api';

/** An incoming contact request: `from` wants to be your contact. */
export interface IncomingRequest {
  id: string;
  from: DirectoryUser;
  created: number;
}

/** A contact request you sent to `to`. */
export interface OutgoingRequest {
  id: string;
  to: DirectoryUser;
  created: number;
}

/** GET /api/contacts. */
export interface ContactsList {
  contacts: DirectoryUser[];
  incoming: IncomingRequest[];
  outgoing: OutgoingRequest[];
  blocked: DirectoryUser[];
}
import { isApiErrorBody, type ErrorCode } from '../../shared/errors';
import type {
  AdminInvite,
  AdminUser,
  AuditEntry,
  CreatedInvite,
  OneTimeLink,
  RegistrationMode,
  ServerPolicy,
} from '../../shared/admin-api';
import { noteServerDate } from './server-clock';

/** The server's error codes plus `network` for a request that never got an answer. */
export type ClientErrorCode = ErrorCode | 'network';

export class ApiError extends Error {
  constructor(
    readonly code: ClientErrorCode,
    message: string,
    /** HTTP status, or 0 when the request never reached the server. */
    readonly status: number,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** The subset of `fetch` the client uses; injectable for tests. */
export type FetchLike = (input: string, init?: RequestInit) => Promise<Response>;

export interface ApiOptions {
  /** Prefix for every path; '' (same origin) by default. */
  baseUrl?: string;
  fetch?: FetchLike;
  /** Told after every request whether the server answered (for the connection indicator). */
  onReachability?: (reachable: boolean) => void;
}

/**
 * A 5xx without Parley's error body comes from something in front of Parley (a proxy,
 * the dev server) that could not reach it: treat it as unreachable.
 */
const isGatewayError = (status: number): boolean => status >= 500;

export class Api {
  private readonly baseUrl: string;
  private readonly fetchImpl: FetchLike;
  private readonly onReachability: (reachable: boolean) => void;

  constructor({ baseUrl = '', fetch: fetchImpl, onReachability }: ApiOptions = {}) {
    this.baseUrl = baseUrl;
    this.onReachability = onReachability ?? (() => undefined);
    // Bind: calling an unbound `window.fetch` throws "Illegal invocation".
    this.fetchImpl = fetchImpl ?? ((input, init) => globalThis.fetch(input, init));
  }

  register(input: {
    email: string;
    password: string;
    displayName: string;
    invite?: string;
  }): Promise<User> {
    return this.request<{ user: User }>('POST', '/api/auth/register', input).then((r) => r.user);
  }

  login(input: { email: string; password: string }): Promise<User> {
    return this.request<{ user: User }>('POST', '/api/auth/login', input).then((r) => r.user);
  }

  /** Who may sign up and how a forgotten password is recovered here. */
  policy(): Promise<ServerPolicy> {
    return this.request<ServerPolicy>('GET', '/api/auth/policy');
  }

  /** Ask for a one-time link by e-mail; resolves with the (always same) answer to show. */
  forgotPassword(email: string): Promise<string> {
    return this.request<{ message: string }>('POST', '/api/auth/forgot', { email }).then(
      (r) => r.message,
    );
  }

  /** Use a one-time link: set the password and sign in. */
  resetPassword(token: string, password: string): Promise<User> {
    return this.request<{ user: User }>('POST', '/api/auth/reset', { token, password }).then(
      (r) => r.user,
    );
  }

  adminUsers(q: string): Promise<AdminUser[]> {
    const query = new URLSearchParams({ q }).toString();
    return this.request<{ users: AdminUser[] }>('GET', `/api/admin/users?${query}`).then(
      (r) => r.users,
    );
  }

  adminSetDisabled(userId: string, disabled: boolean): Promise<AdminUser> {
    return this.request<{ user: AdminUser }>(
      'POST',
      `/api/admin/users/${encodeURIComponent(userId)}/${disabled ? 'disable' : 'enable'}`,
    ).then((r) => r.user);
  }

  adminResetLink(userId: string): Promise<OneTimeLink> {
    return this.request<OneTimeLink>(
      'POST',
      `/api/admin/users/${encodeURIComponent(userId)}/reset-link`,
    );
  }

  adminRegistration(): Promise<RegistrationMode> {
    return this.request<{ mode: RegistrationMode }>('GET', '/api/admin/registration').then(
      (r) => r.mode,
    );
  }

  adminSetRegistration(mode: RegistrationMode): Promise<RegistrationMode> {
    return this.request<{ mode: RegistrationMode }>('PUT', '/api/admin/registration', {
      mode,
    }).then((r) => r.mode);
  }

  adminInvites(): Promise<AdminInvite[]> {
    return this.request<{ invites: AdminInvite[] }>('GET', '/api/admin/invites').then(
      (r) => r.invites,
    );
  }

  adminCreateInvite(input: { uses: number; expiresDays: number }): Promise<CreatedInvite> {
    return this.request<CreatedInvite>('POST', '/api/admin/invites', input);
  }

  async adminRevokeInvite(id: string): Promise<void> {
    await this.request<null>('DELETE', `/api/admin/invites/${encodeURIComponent(id)}`);
  }

  adminAudit(): Promise<AuditEntry[]> {
    return this.request<{ entries: AuditEntry[] }>('GET', '/api/admin/audit').then(
      (r) => r.entries,
    );
  }

  async logout(): Promise<void> {
    await this.request<null>('POST', '/api/auth/logout');
  }

  /** Change the password: every other device is signed out; this one goes on. */
  async changePassword(currentPassword: string, newPassword: string): Promise<void> {
    await this.request<null>('POST', '/api/auth/password', { currentPassword, newPassword });
  }

  /** Your signed-in devices (sessions), this one marked `current`. */
  devices(): Promise<DeviceSession[]> {
    return this.request<{ sessions: DeviceSession[] }>('GET', '/api/account/sessions').then(
      (r) => r.sessions,
    );
  }

  /** Sign out one of your devices. */
  async signOutDevice(id: string): Promise<void> {
    await this.request<null>('DELETE', `/api/account/sessions/${encodeURIComponent(id)}`);
  }

  /** Sign out every device but this one. */
  async signOutOtherDevices(): Promise<void> {
    await this.request<null>('POST', '/api/account/sign-out-others');
  }

  /** Delete your account (your password confirms it). */
  async deleteAccount(password: string): Promise<void> {
    await this.request<null>('POST', '/api/account/delete', { password });
  }

  me(): Promise<User> {
    return this.request<{ user: User }>('GET', '/api/me').then((r) => r.user);
  }

  searchUsers(q: string): Promise<DirectoryUser[]> {
    const query = new URLSearchParams({ q }).toString();
    return this.request<{ users: DirectoryUser[] }>('GET', `/api/users?${query}`).then(
      (r) => r.users,
    );
  }

  /** Messages of your own conversations matching the words of `q`, best first. */
  searchMessages(q: string, opts: { limit?: number; before?: number } = {}): Promise<SearchResult[]> {
    const params = new URLSearchParams({ q });
    if (opts.limit) params.set('limit', String(opts.limit));
    if (opts.before !== undefined) params.set('before', String(opts.before));
    return this.request<SearchResults>('GET', `/api/search?${params.toString()}`).then(
      (r) => r.results,
    );
  }

  conversations(): Promise<ConversationSummary[]> {
    return this.request<{ conversations: ConversationSummary[] }>('GET', '/api/conversations').then(
      (r) => r.conversations,
    );
  }

  conversation(id: string): Promise<ConversationSummary> {
    return this.request<{ conversation: ConversationSummary }>(
      'GET',
      `/api/conversations/${encodeURIComponent(id)}`,
    ).then((r) => r.conversation);
  }

  openConversation(peerId: string): Promise<ConversationSummary> {
    return this.request<{ conversation: ConversationSummary }>('POST', '/api/conversations', {
      peerId,
    }).then((r) => r.conversation);
  }

  /** Accept a message request: you become contacts. */
  acceptConversation(id: string): Promise<ConversationSummary> {
    return this.request<{ conversation: ConversationSummary }>(
      'POST',
      `/api/conversations/${encodeURIComponent(id)}/accept`,
    ).then((r) => r.conversation);
  }

  /** Decline a message request: it leaves your list until they write again. */
  async declineConversation(id: string): Promise<void> {
    await this.request<unknown>('POST', `/api/conversations/${encodeURIComponent(id)}/decline`);
  }

  contacts(): Promise<ContactsList> {
    return this.request<ContactsList>('GET', '/api/contacts');
  }

  /** Ask `userId` to be your contact (accepts at once when they had already asked you). */
  async requestContact(userId: string): Promise<void> {
    await this.request<unknown>('POST', '/api/contacts/requests', { userId });
  }

  async acceptContactRequest(requestId: string): Promise<void> {
    await this.request<unknown>(
      'POST',
      `/api/contacts/requests/${encodeURIComponent(requestId)}/accept`,
    );
  }

  /** Decline a request made to you, or cancel one you made. */
  async declineContactRequest(requestId: string): Promise<void> {
    await this.request<unknown>(
      'POST',
      `/api/contacts/requests/${encodeURIComponent(requestId)}/decline`,
    );
  }

  async removeContact(userId: string): Promise<void> {
    await this.request<null>('DELETE', `/api/contacts/${encodeURIComponent(userId)}`);
  }

  async block(userId: string): Promise<void> {
    await this.request<null>('POST', `/api/blocks/${encodeURIComponent(userId)}`);
  }

  async unblock(userId: string): Promise<void> {
    await this.request<null>('DELETE', `/api/blocks/${encodeURIComponent(userId)}`);
  }

  history(id: string, opts: { before?: string; limit?: number } = {}): Promise<HistoryPage> {
    const params = new URLSearchParams();
    if (opts.before) params.set('before', opts.before);
    if (opts.limit) params.set('limit', String(opts.limit));
    const qs = params.size > 0 ? `?${params.toString()}` : '';
    return this.request<HistoryPage>(
      'GET',
      `/api/conversations/${encodeURIComponent(id)}/messages${qs}`,
    );
  }

  /**
   * A sealed document of a conversation (history beyond the live one) as a Yjs update: what
   * a device holding state vector `sv` lacks.
   */
  async sealedDocument(id: string, epoch: number, sv: Uint8Array): Promise<Uint8Array> {
    const response = await this.send(
      'GET',
      `/api/conversations/${encodeURIComponent(id)}/epochs/${epoch}?sv=${toBase64Url(sv)}`,
      undefined,
      'application/octet-stream',
    );
    return new Uint8Array(await response.arrayBuffer());
  }

  /** The deployment's VAPID public key (the push subscription's application server key). */
  pushKey(): Promise<string> {
    return this.request<{ publicKey: string }>('GET', '/api/push/key').then((r) => r.publicKey);
  }

  async savePushSubscription(sub: PushSubscriptionJSON): Promise<void> {
    await this.request('POST', '/api/push/subscriptions', {
      endpoint: sub.endpoint,
      keys: sub.keys,
    });
  }

  async deletePushSubscription(endpoint: string): Promise<void> {
    await this.request('DELETE', '/api/push/subscriptions', { endpoint });
  }

  notificationSettings(): Promise<NotificationSettings> {
    return this.request<{ settings: NotificationSettings }>(
      'GET',
      '/api/settings/notifications',
    ).then((r) => r.settings);
  }

  saveNotificationSettings(settings: NotificationSettings): Promise<NotificationSettings> {
    return this.request<{ settings: NotificationSettings }>(
      'PUT',
      '/api/settings/notifications',
      settings,
    ).then((r) => r.settings);
  }

  /** Change your display name and "about" line; resolves with who you are now. */
  updateProfile(input: { displayName: string; about: string }): Promise<User> {
    return this.request<{ user: User }>('PUT', '/api/profile', input).then((r) => r.user);
  }

  /** A new profile photo (the image's bytes; the server crops and re-encodes it). */
  async uploadProfilePhoto(photo: Blob): Promise<User> {
    const response = await this.send('PUT', '/api/profile/photo', photo, 'application/json');
    return ((await response.json()) as { user: User }).user;
  }

  /** Remove your profile photo (initials again). */
  removeProfilePhoto(): Promise<User> {
    return this.request<{ user: User }>('DELETE', '/api/profile/photo').then((r) => r.user);
  }

  privacySettings(): Promise<PrivacySettings> {
    return this.request<{ settings: PrivacySettings }>('GET', '/api/settings/privacy').then(
      (r) => r.settings,
    );
  }

  savePrivacySettings(settings: PrivacySettings): Promise<PrivacySettings> {
    return this.request<{ settings: PrivacySettings }>(
      'PUT',
      '/api/settings/privacy',
      settings,
    ).then((r) => r.settings);
  }

  /** A read the other person is not told about (read receipts off, a message request). */
  async markRead(id: string, upTo: string): Promise<void> {
    await this.request('POST', `/api/conversations/${encodeURIComponent(id)}/read`, { upTo });
  }

  /** Pin (`on`) or unpin a conversation for you, on every device (409 beyond the pin limit). */
  pinConversation(id: string, on: boolean): Promise<ConversationSummary> {
    return this.request<{ conversation: ConversationSummary }>(
      on ? 'PUT' : 'DELETE',
      `/api/conversations/${encodeURIComponent(id)}/pin`,
    ).then((r) => r.conversation);
  }

  /** Archive (`on`) or unarchive a conversation for you, on every device. */
  archiveConversation(id: string, on: boolean): Promise<ConversationSummary> {
    return this.request<{ conversation: ConversationSummary }>(
      on ? 'PUT' : 'DELETE',
      `/api/conversations/${encodeURIComponent(id)}/archive`,
    ).then((r) => r.conversation);
  }

  /** "Delete chat for me": returns the cleared point (ms). */
  clearConversation(id: string): Promise<number> {
    return this.request<{ clearedAt: number }>(
      'POST',
      `/api/conversations/${encodeURIComponent(id)}/clear`,
    ).then((r) => r.clearedAt);
  }

  async mute(id: string, duration: MuteDuration | null): Promise<void> {
    const path = `/api/conversations/${encodeURIComponent(id)}/mute`;
    if (duration === null) await this.request('DELETE', path);
    else await this.request('PUT', path, { duration });
  }

  private async request<T>(
    method: 'GET' | 'POST' | 'PUT' | 'DELETE',
    path: string,
    body?: unknown,
  ): Promise<T> {
    const response = await this.send(method, path, body, 'application/json');
    if (response.status === 204) return null as T;
    try {
      return (await response.json()) as T;
    } catch {
      return null as T;
    }
  }

  /** The response when it is a success; otherwise the `ApiError` that says why. */
  private async send(
    method: 'GET' | 'POST' | 'PUT' | 'DELETE',
    path: string,
    body: unknown,
    accept: string,
  ): Promise<Response> {
    let response: Response;
    const sentAt = Date.now();
    try {
      response = await this.fetchImpl(`${this.baseUrl}${path}`, {
        method,
        credentials: 'same-origin',
        headers:
          body === undefined
            ? { Accept: accept }
            : {
                Accept: accept,
                'Content-Type':
                  body instanceof Blob ? body.type || 'application/octet-stream' : 'application/json',
              },
        body: body === undefined ? undefined : body instanceof Blob ? body : JSON.stringify(body),
      });
    } catch {
      this.onReachability(false);
      throw unreachable();
    }
    noteServerDate(response.headers?.get('Date') ?? null, sentAt, Date.now());
    if (response.ok) {
      this.onReachability(true);
      return response;
    }
    let parsed: unknown = null;
    try {
      parsed = await response.json();
    } catch {
      parsed = null;
    }
    const isApiError = isApiErrorBody(parsed);
    if (!isApiError && isGatewayError(response.status)) {
      this.onReachability(false);
      throw unreachable();
    }
    this.onReachability(true);
    if (isApiErrorBody(parsed)) {
      throw new ApiError(parsed.error.code, parsed.error.message, response.status);
    }
    throw new ApiError(
      response.status >= 500 ? 'internal' : 'invalid-input',
      'Something went wrong, try again.',
      response.status,
    );
  }
}

const toBase64Url = (bytes: Uint8Array): string => {
  let bin = '';
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
};

const unreachable = (): ApiError =>
  new ApiError('network', "Can't reach Parley. Check your connection.", 0);
