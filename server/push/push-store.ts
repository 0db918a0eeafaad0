/**
 * Web Push state (issue #13), behind the storage seam: each device's subscription, each
 * user's notification settings and muted conversations, the deployment's VAPID keys, and
 * which conversations have a notification showing (so reading or deleting can clear it).
 */
import type { Awaitable } from '../store/storage';

export interface PushSubscriptionRow {
  endpoint: string;
  userId: string;
  /** The session (device sign-in) that subscribed: signing it out removes the subscription. */
  sessionId: string;
  p256dh: string;
  auth: string;
  userAgent: string;
  created: number;
  lastSuccess: number | null;
}

/** What a notification shows, like Signal's setting. */
export type PreviewMode = 'name-and-message' | 'name-only' | 'nothing';

export interface NotificationSettings {
  /** The global switch: no push at all when false. */
  enabled: boolean;
  preview: PreviewMode;
}

export const DEFAULT_SETTINGS: NotificationSettings = {
  enabled: true,
  preview: 'name-and-message',
};

/** A muted conversation: until this time (ms), or always (`null`). */
export interface Mute {
  until: number | null;
}

export interface VapidKeys {
  publicKey: string;
  privateKey: string;
}

export interface PushStore {
  /** Save (or move to this session) the device's subscription. */
  subscribe(row: PushSubscriptionRow): Awaitable<void>;
  /** Remove the subscription with this endpoint if it is `userId`'s; true when one was removed. */
  unsubscribe(userId: string, endpoint: string): Awaitable<boolean>;
  /** The push service said the subscription is gone (404/410). */
  removeEndpoint(endpoint: string): Awaitable<void>;
  subscriptions(userId: string): Awaitable<PushSubscriptionRow[]>;
  succeeded(endpoint: string, at: number): Awaitable<void>;

  settings(userId: string): Awaitable<NotificationSettings>;
  setSettings(userId: string, settings: NotificationSettings): Awaitable<void>;

  /** The conversation's mute for `userId`, expired ones included (callers compare with now). */
  mute(userId: string, conversationId: string): Awaitable<Mute | null>;
  setMute(userId: string, conversationId: string, mute: Mute | null): Awaitable<void>;

  /**
   * Record that `userId` has a notification showing for the conversation (its latest message
   * id); returns what was recorded before (null when none was showing).
   */
  showing(userId: string, conversationId: string): Awaitable<string | null>;
  setShowing(userId: string, conversationId: string, messageId: string | null): Awaitable<void>;
  /** Whether the one "New message request" notification of this conversation was sent. */
  requestNotified(userId: string, conversationId: string): Awaitable<boolean>;
  setRequestNotified(userId: string, conversationId: string): Awaitable<void>;

  /** The deployment's VAPID keys: `generated` is stored unless keys exist (first one wins). */
  vapidKeys(generated: VapidKeys): Awaitable<VapidKeys>;
}
