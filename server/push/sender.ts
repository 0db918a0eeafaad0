/**
 * Sends payloads to a user's devices through their push services (web-push: VAPID
 * signature, RFC 8291 encryption). A subscription the push service says is gone (404/410)
 * is removed; one whose endpoint now points somewhere private is skipped.
 */
import type { Logger } from '../logger';
import type { Config } from '../config';
import { endpointProblem } from './endpoint-check';
import type { PushPayload } from './payload';
import type { PushStore, PushSubscriptionRow, VapidKeys } from './push-store';
import { VapidHeaders } from './vapid-headers';
import { PushDelivery } from './delivery';

const SUCCESS_NOTE_MS = 60 * 60 * 1000;

export class PushSender {
  /** Pushes sent and failed since start (tests and the log). */
  readonly counts = { sent: 0, failed: 0, removed: 0 };
  /**
   * Milliseconds from the commit of a message to the push service's answer, for the latest
   * message notifications (at most 1,000 kept; the integration test reports them).
   */
  readonly commitToPushMs: number[] = [];
  private readonly vapid: VapidHeaders;
  /** When each endpoint's success was last written: at most once an hour, not per push. */
  private readonly successNoted = new Map<string, number>();
  /** Encryption and the HTTP request, in a worker thread. */
  private readonly delivery: PushDelivery;

  constructor(
    private readonly store: PushStore,
    private readonly keys: VapidKeys,
    private readonly config: Config['push'],
    private readonly log: Logger,
  ) {
    this.vapid = new VapidHeaders(config.subject, keys);
    this.delivery = new PushDelivery(log);
  }

  /** Stop the worker thread (shutdown, after the notifier is idle). */
  close(): Promise<void> {
    return this.delivery.close();
  }

  get publicKey(): string {
    return this.keys.publicKey;
  }

  /** Send to every device of the user; `committedAt` (performance.now()) times the message. */
  async toUser(userId: string, payload: PushPayload, committedAt?: number): Promise<void> {
    const subs = await this.store.subscriptions(userId);
    await Promise.all(subs.map((s) => this.toDevice(s, payload, committedAt)));
  }

  private async toDevice(
    sub: PushSubscriptionRow,
    payload: PushPayload,
    committedAt: number | undefined,
  ): Promise<void> {
    const problem = await endpointProblem(sub.endpoint, this.config.allowPrivateEndpoints);
    if (problem) {
      this.log.warn('push endpoint refused', { user: sub.userId, reason: problem });
      return;
    }
    const urgent = payload.type === 'message' || payload.type === 'request';
    const result = await this.delivery.send({
      endpoint: sub.endpoint,
      keys: { p256dh: sub.p256dh, auth: sub.auth },
      payload: JSON.stringify(payload),
      ttl: 24 * 60 * 60,
      urgency: urgent ? 'high' : 'normal',
      // A newer push for the conversation replaces one the device has not fetched yet.
      topic: payload.conversationId.replace(/[^A-Za-z0-9_-]/g, '').slice(0, 32),
      // No vapidDetails for web-push: the signed header is reused per push service.
      authorization: this.vapid.authorization(sub.endpoint),
    });
    if ('error' in result) {
      this.counts.failed++;
      this.log.warn('push failed', { user: sub.userId, error: result.error });
      return;
    }
    const { status } = result;
    if (status >= 200 && status < 300) {
      this.counts.sent++;
      if (committedAt !== undefined) {
        if (this.commitToPushMs.length >= 1000) this.commitToPushMs.shift();
        this.commitToPushMs.push(performance.now() - committedAt);
      }
      await this.noteSuccess(sub.endpoint);
      return;
    }
    this.counts.failed++;
    if (status === 404 || status === 410) {
      this.counts.removed++;
      await this.store.removeEndpoint(sub.endpoint);
      return;
    }
    this.log.warn('push refused', { user: sub.userId, status });
  }

  /** Record that `endpoint` works (a database write), at most once an hour per endpoint. */
  private async noteSuccess(endpoint: string): Promise<void> {
    const now = Date.now();
    if (now - (this.successNoted.get(endpoint) ?? 0) < SUCCESS_NOTE_MS) return;
    this.successNoted.delete(endpoint);
    if (this.successNoted.size >= 10_000) this.successNoted.clear();
    this.successNoted.set(endpoint, now);
    await this.store.succeeded(endpoint, now);
  }
}
