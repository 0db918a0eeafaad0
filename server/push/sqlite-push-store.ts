/** PushStore on the embedded SQLite file. */
import type { Db } from '../store/database';
import {
  DEFAULT_SETTINGS,
  type Mute,
  type NotificationSettings,
  type PreviewMode,
  type PushStore,
  type PushSubscriptionRow,
  type VapidKeys,
} from './push-store';

interface RawSub {
  endpoint: string;
  user_id: string;
  session_id: string;
  p256dh: string;
  auth: string;
  user_agent: string;
  created: number;
  last_success: number | null;
}

export const toSubscription = (r: RawSub): PushSubscriptionRow => ({
  endpoint: r.endpoint,
  userId: r.user_id,
  sessionId: r.session_id,
  p256dh: r.p256dh,
  auth: r.auth,
  userAgent: r.user_agent,
  created: Number(r.created),
  lastSuccess: r.last_success === null ? null : Number(r.last_success),
});

export class SqlitePushStore implements PushStore {
  private readonly q;

  constructor(db: Db) {
    this.q = {
      subscribe: db.prepare(
        `INSERT INTO push_subscriptions
           (endpoint, user_id, session_id, p256dh, auth, user_agent, created, last_success)
         VALUES (?, ?, ?, ?, ?, ?, ?, NULL)
         ON CONFLICT (endpoint) DO UPDATE SET user_id = excluded.user_id,
           session_id = excluded.session_id, p256dh = excluded.p256dh, auth = excluded.auth,
           user_agent = excluded.user_agent`,
      ),
      unsubscribe: db.prepare('DELETE FROM push_subscriptions WHERE user_id = ? AND endpoint = ?'),
      removeEndpoint: db.prepare('DELETE FROM push_subscriptions WHERE endpoint = ?'),
      forUser: db.prepare<[string], RawSub>(
        'SELECT * FROM push_subscriptions WHERE user_id = ? ORDER BY created',
      ),
      succeeded: db.prepare('UPDATE push_subscriptions SET last_success = ? WHERE endpoint = ?'),
      settings: db.prepare<[string], { enabled: number; preview: string }>(
        'SELECT enabled, preview FROM notification_settings WHERE user_id = ?',
      ),
      setSettings: db.prepare(
        `INSERT INTO notification_settings (user_id, enabled, preview) VALUES (?, ?, ?)
         ON CONFLICT (user_id) DO UPDATE SET enabled = excluded.enabled, preview = excluded.preview`,
      ),
      mute: db.prepare<[string, string], { until: number | null }>(
        'SELECT until FROM conversation_mutes WHERE user_id = ? AND conversation_id = ?',
      ),
      setMute: db.prepare(
        `INSERT INTO conversation_mutes (user_id, conversation_id, until) VALUES (?, ?, ?)
         ON CONFLICT (user_id, conversation_id) DO UPDATE SET until = excluded.until`,
      ),
      unmute: db.prepare(
        'DELETE FROM conversation_mutes WHERE user_id = ? AND conversation_id = ?',
      ),
      showing: db.prepare<
        [string, string],
        { message_id: string | null; request_notified: number }
      >(
        'SELECT message_id, request_notified FROM push_showing WHERE user_id = ? AND conversation_id = ?',
      ),
      setShowing: db.prepare(
        `INSERT INTO push_showing (user_id, conversation_id, message_id) VALUES (?, ?, ?)
         ON CONFLICT (user_id, conversation_id) DO UPDATE SET message_id = excluded.message_id`,
      ),
      setRequestNotified: db.prepare(
        `INSERT INTO push_showing (user_id, conversation_id, request_notified) VALUES (?, ?, 1)
         ON CONFLICT (user_id, conversation_id) DO UPDATE SET request_notified = 1`,
      ),
      key: db.prepare<[string], { value: string }>('SELECT value FROM server_keys WHERE name = ?'),
      setKey: db.prepare(
        'INSERT INTO server_keys (name, value) VALUES (?, ?) ON CONFLICT DO NOTHING',
      ),
    };
  }

  subscribe(r: PushSubscriptionRow): void {
    this.q.subscribe.run(
      r.endpoint,
      r.userId,
      r.sessionId,
      r.p256dh,
      r.auth,
      r.userAgent,
      r.created,
    );
  }

  unsubscribe(userId: string, endpoint: string): boolean {
    return this.q.unsubscribe.run(userId, endpoint).changes > 0;
  }

  removeEndpoint(endpoint: string): void {
    this.q.removeEndpoint.run(endpoint);
  }

  subscriptions(userId: string): PushSubscriptionRow[] {
    return this.q.forUser.all(userId).map(toSubscription);
  }

  succeeded(endpoint: string, at: number): void {
    this.q.succeeded.run(at, endpoint);
  }

  settings(userId: string): NotificationSettings {
    const r = this.q.settings.get(userId);
    return r ? { enabled: r.enabled === 1, preview: r.preview as PreviewMode } : DEFAULT_SETTINGS;
  }

  setSettings(userId: string, s: NotificationSettings): void {
    this.q.setSettings.run(userId, s.enabled ? 1 : 0, s.preview);
  }

  mute(userId: string, conversationId: string): Mute | null {
    const r = this.q.mute.get(userId, conversationId);
    return r ? { until: r.until } : null;
  }

  setMute(userId: string, conversationId: string, mute: Mute | null): void {
    if (mute) this.q.setMute.run(userId, conversationId, mute.until);
    else this.q.unmute.run(userId, conversationId);
  }

  showing(userId: string, conversationId: string): string | null {
    return this.q.showing.get(userId, conversationId)?.message_id ?? null;
  }

  setShowing(userId: string, conversationId: string, messageId: string | null): void {
    this.q.setShowing.run(userId, conversationId, messageId);
  }

  requestNotified(userId: string, conversationId: string): boolean {
    return this.q.showing.get(userId, conversationId)?.request_notified === 1;
  }

  setRequestNotified(userId: string, conversationId: string): void {
    this.q.setRequestNotified.run(userId, conversationId);
  }

  vapidKeys(generated: VapidKeys): VapidKeys {
    this.q.setKey.run('vapid', JSON.stringify(generated));
    return JSON.parse(this.q.key.get('vapid')!.value) as VapidKeys;
  }
}
