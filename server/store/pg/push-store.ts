/** PushStore on PostgreSQL (cluster mode): one statement per method. */
import type pg from 'pg';
import {
  DEFAULT_SETTINGS,
  type Mute,
  type NotificationSettings,
  type PreviewMode,
  type PushStore,
  type PushSubscriptionRow,
  type VapidKeys,
} from '../../push/push-store';
import { toSubscription } from '../../push/sqlite-push-store';
import { first, rows, run, statement } from './pool';

const q = {
  subscribe: statement(
    `INSERT INTO push_subscriptions
       (endpoint, user_id, session_id, p256dh, auth, user_agent, created, last_success)
     VALUES ($1, $2, $3, $4, $5, $6, $7, NULL)
     ON CONFLICT (endpoint) DO UPDATE SET user_id = excluded.user_id,
       session_id = excluded.session_id, p256dh = excluded.p256dh, auth = excluded.auth,
       user_agent = excluded.user_agent`,
  ),
  unsubscribe: statement('DELETE FROM push_subscriptions WHERE user_id = $1 AND endpoint = $2'),
  removeEndpoint: statement('DELETE FROM push_subscriptions WHERE endpoint = $1'),
  forUser: statement('SELECT * FROM push_subscriptions WHERE user_id = $1 ORDER BY created'),
  succeeded: statement('UPDATE push_subscriptions SET last_success = $2 WHERE endpoint = $1'),
  settings: statement('SELECT enabled, preview FROM notification_settings WHERE user_id = $1'),
  setSettings: statement(
    `INSERT INTO notification_settings (user_id, enabled, preview) VALUES ($1, $2, $3)
     ON CONFLICT (user_id) DO UPDATE SET enabled = excluded.enabled, preview = excluded.preview`,
  ),
  mute: statement(
    'SELECT until FROM conversation_mutes WHERE user_id = $1 AND conversation_id = $2',
  ),
  setMute: statement(
    `INSERT INTO conversation_mutes (user_id, conversation_id, until) VALUES ($1, $2, $3)
     ON CONFLICT (user_id, conversation_id) DO UPDATE SET until = excluded.until`,
  ),
  unmute: statement('DELETE FROM conversation_mutes WHERE user_id = $1 AND conversation_id = $2'),
  showing: statement(
    'SELECT message_id, request_notified FROM push_showing WHERE user_id = $1 AND conversation_id = $2',
  ),
  setShowing: statement(
    `INSERT INTO push_showing (user_id, conversation_id, message_id) VALUES ($1, $2, $3)
     ON CONFLICT (user_id, conversation_id) DO UPDATE SET message_id = excluded.message_id`,
  ),
  setRequestNotified: statement(
    `INSERT INTO push_showing (user_id, conversation_id, request_notified) VALUES ($1, $2, true)
     ON CONFLICT (user_id, conversation_id) DO UPDATE SET request_notified = true`,
  ),
  key: statement('SELECT value FROM server_keys WHERE name = $1'),
  setKey: statement('INSERT INTO server_keys (name, value) VALUES ($1, $2) ON CONFLICT DO NOTHING'),
};

export class PgPushStore implements PushStore {
  constructor(private readonly pool: pg.Pool) {}

  async subscribe(r: PushSubscriptionRow): Promise<void> {
    await run(this.pool, q.subscribe, [
      r.endpoint,
      r.userId,
      r.sessionId,
      r.p256dh,
      r.auth,
      r.userAgent,
      r.created,
    ]);
  }

  async unsubscribe(userId: string, endpoint: string): Promise<boolean> {
    return (await run(this.pool, q.unsubscribe, [userId, endpoint])) > 0;
  }

  async removeEndpoint(endpoint: string): Promise<void> {
    await run(this.pool, q.removeEndpoint, [endpoint]);
  }

  async subscriptions(userId: string): Promise<PushSubscriptionRow[]> {
    return (await rows<Parameters<typeof toSubscription>[0]>(this.pool, q.forUser, [userId])).map(
      toSubscription,
    );
  }

  async succeeded(endpoint: string, at: number): Promise<void> {
    await run(this.pool, q.succeeded, [endpoint, at]);
  }

  async settings(userId: string): Promise<NotificationSettings> {
    const r = await first<{ enabled: boolean; preview: string }>(this.pool, q.settings, [userId]);
    return r ? { enabled: r.enabled, preview: r.preview as PreviewMode } : DEFAULT_SETTINGS;
  }

  async setSettings(userId: string, s: NotificationSettings): Promise<void> {
    await run(this.pool, q.setSettings, [userId, s.enabled, s.preview]);
  }

  async mute(userId: string, conversationId: string): Promise<Mute | null> {
    const r = await first<{ until: string | null }>(this.pool, q.mute, [userId, conversationId]);
    return r ? { until: r.until === null ? null : Number(r.until) } : null;
  }

  async setMute(userId: string, conversationId: string, mute: Mute | null): Promise<void> {
    if (mute) await run(this.pool, q.setMute, [userId, conversationId, mute.until]);
    else await run(this.pool, q.unmute, [userId, conversationId]);
  }

  async showing(userId: string, conversationId: string): Promise<string | null> {
    const r = await first<{ message_id: string | null }>(this.pool, q.showing, [
      userId,
      conversationId,
    ]);
    return r?.message_id ?? null;
  }

  async setShowing(
    userId: string,
    conversationId: string,
    messageId: string | null,
  ): Promise<void> {
    await run(this.pool, q.setShowing, [userId, conversationId, messageId]);
  }

  async requestNotified(userId: string, conversationId: string): Promise<boolean> {
    const r = await first<{ request_notified: boolean }>(this.pool, q.showing, [
      userId,
      conversationId,
    ]);
    return r?.request_notified === true;
  }

  async setRequestNotified(userId: string, conversationId: string): Promise<void> {
    await run(this.pool, q.setRequestNotified, [userId, conversationId]);
  }

  async vapidKeys(generated: VapidKeys): Promise<VapidKeys> {
    await run(this.pool, q.setKey, ['vapid', JSON.stringify(generated)]);
    const r = await first<{ value: string }>(this.pool, q.key, ['vapid']);
    return JSON.parse(r!.value) as VapidKeys;
  }
}
