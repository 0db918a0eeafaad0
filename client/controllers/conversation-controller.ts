/**
 * Gives a page component one open conversation: looks up its summary (peer, document
 * name), opens it through the ref-counted repo while the host is connected, and
 * re-renders the host on every change. Releases it when the host goes or the id changes.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { ConversationSummary } from '../../shared/api';
import type { UserServices } from '../app-services';
import type { Conversation, ConversationState } from '../data/conversation';
import type { ConversationHandle } from '../data/conversation-repo';
import { errorText } from '../errors';

export class ConversationController implements ReactiveController {
  private account: UserServices | null = null;
  private id: string | null = null;
  private handle: ConversationHandle | null = null;
  private unsubscribe: (() => void) | null = null;
  private connected = false;
  private fetched: ConversationSummary | null = null;
  /** Set when the summary could not be loaded. */
  error: string | null = null;

  constructor(private readonly host: ReactiveControllerHost) {
    host.addController(this);
  }

  /** Show conversation `id` of `account` (call from the host's `willUpdate`). */
  show(account: UserServices | null, id: string | null): void {
    if (account === this.account && id === this.id) return;
    this.close();
    this.account = account;
    this.id = id;
    this.fetched = null;
    this.error = null;
    if (this.connected) this.openCurrent();
  }

  /** The freshest summary: the inbox's copy when it has one. */
  get summary(): ConversationSummary | null {
    if (!this.account || !this.id) return null;
    return this.account.inbox.find(this.id) ?? this.fetched;
  }

  get conversation(): Conversation | null {
    return this.handle?.conversation ?? null;
  }

  get state(): ConversationState | null {
    return this.handle?.conversation.snapshot ?? null;
  }

  hostConnected(): void {
    this.connected = true;
    this.openCurrent();
  }

  hostDisconnected(): void {
    this.connected = false;
    this.close();
  }

  private openCurrent(): void {
    const { account, id } = this;
    if (!account || !id || this.handle) return;
    const known = account.inbox.find(id);
    if (known) {
      this.attach(known);
      return;
    }
    account.inbox.get(id).then(
      (summary) => {
        if (this.account !== account || this.id !== id || !this.connected) return;
        this.fetched = summary;
        this.attach(summary);
      },
      (e: unknown) => {
        if (this.account !== account || this.id !== id) return;
        this.error = errorText(e);
        this.host.requestUpdate();
      },
    );
  }

  private attach(summary: ConversationSummary): void {
    const account = this.account;
    if (!account || this.handle) return;
    const handle = account.conversations.open(summary);
    this.handle = handle;
    const id = summary.id;
    // "Delete chat for me" from any device: the view follows the summary's cleared point.
    const follow = (): void =>
      handle.conversation.setClearedAt(
        (account.inbox.find(id) ?? this.fetched ?? summary).clearedAt ?? null,
      );
    follow();
    const offConversation = handle.conversation.subscribe(() => this.host.requestUpdate());
    const offInbox = account.inbox.subscribe(follow);
    this.unsubscribe = () => {
      offConversation();
      offInbox();
    };
    this.host.requestUpdate();
  }

  private close(): void {
    this.unsubscribe?.();
    this.unsubscribe = null;
    this.handle?.release();
    this.handle = null;
  }
}
