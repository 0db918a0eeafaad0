/**
 * Sends payloads to a user's devices through their push services (web-push: VAPID
 * signature, RFC 8291 encryption). A subscription the push service says is gone (404/410)
 * is removed; one whose endpoint now points somewhere private is skipped.
 */
import webpush from 'web-push';
import type { Logger } from '../logger';
import type { Config } from '../config';
import { endpointProblem } from './endpoint-check';
import type { PushPayload } from './payload';
import type { PushStore, PushSubscriptionRow, VapidKeys } from './push-store';

export class PushSender {
  /** Pushes sent and failed since start (tests and the log). */
  readonly counts = { sent: 0, failed: 0, removed: 0 };

  constructor(
    private readonly store: PushStore,
    private readonly keys: VapidKeys,
    private readonly config: Config['push'],
    private readonly log: Logger,
  ) {}

  get publicKey(): string {
    return this.keys.publicKey;
  }

  async toUser(userId: string, payload: PushPayload): Promise<void> {
    const subs = await this.store.subscriptions(userId);
    await Promise.all(subs.map((s) => this.toDevice(s, payload)));
  }

  private async toDevice(sub: PushSubscriptionRow, payload: PushPayload): Promise<void> {
    const problem = await endpointProblem(sub.endpoint, this.config.allowPrivateEndpoints);
    if (problem) {
      this.log.warn('push endpoint refused', { user: sub.userId, reason: problem });
      return;
    }
    const urgent = payload.type === 'message' || payload.type === 'request';
    try {
      await webpush.sendNotification(
        { endpoint: sub.endpoint, keys: { p256dh: sub.p256dh, auth: sub.auth } },
        JSON.stringify(payload),
        {
          vapidDetails: {
            subject: this.config.subject,
            publicKey: this.keys.publicKey,
            privateKey: this.keys.privateKey,
          },
          TTL: 24 * 60 * 60,
          urgency: urgent ? 'high' : 'normal',
          // A newer push for the conversation replaces one the device has not fetched yet.
          topic: payload.conversationId.replace(/[^A-Za-z0-9_-]/g, '').slice(0, 32),
          timeout: 10_000,
        },
      );
      this.counts.sent++;
      await this.store.succeeded(sub.endpoint, Date.now());
    } catch (e) {
      const status = (e as { statusCode?: number }).statusCode;
      this.counts.failed++;
      if (status === 404 || status === 410) {
        this.counts.removed++;
        await this.store.removeEndpoint(sub.endpoint);
        return;
      }
      this.log.warn('push failed', { user: sub.userId, status: status ?? String(e) });
    }
  }
}
