/**
 * `<parley-conversation-view>`: one conversation on screen — the other person's name and
 * presence (live, with "last seen"), a menu of people actions, the message log, who is
 * typing, and the composer. Opens the conversation through the data layer, marks it read
 * only while the newest message is in view and the page is visible and focused (never
 * from a background tab), and exposes `data-sync-state` as a readiness hook for tests.
 */
import { LitElement, html, type PropertyValues } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import { keyed } from 'lit/directives/keyed.js';
import type { MuteDuration } from '../../shared/api';
import type { UserServices } from '../app-services';
import { ActionController } from '../controllers/action-controller';
import { ComposingController } from '../controllers/composing-controller';
import { ConversationController } from '../controllers/conversation-controller';
import { NowController } from '../controllers/now-controller';
import { StoreController } from '../controllers/store-controller';
import { dispatchPref, prefMenu } from './conversation-entry';
import type {
  AttachmentsPickedEvent,
  OutboxCancelEvent,
  VoiceRecordedEvent,
} from './attachment-events';
import { loadElement, ready } from './lazy-elements';
import { firstUnreadId } from '../data/timeline';
import { sharesReads, shouldMarkRead } from '../data/read-receipts';
import { QUOTA_REFUSAL } from '../data/conversation-sync';
import { conversationViewStyles } from '../styles/conversation-view-styles';
import { sharedStyles } from '../styles/shared-styles';
import './avatar';
import {
  NavigateEvent,
  MuteEvent,
  PersonActionEvent,
  type ComposerDraftEvent,
  type MessageActionEvent,
  type ReactionToggleEvent,
  type ComposerTypingEvent,
  type ListBottomEvent,
  type MenuSelectEvent,
  type MessageDeleteEvent,
  type MessageSendEvent,
  type PersonAction,
} from './events';
import { presenceText } from './format';
import { MUTE_DURATIONS, muteMenu, peopleMenu } from './conversation-menus';
import type { MessageComposer } from './message-composer';
import type { MessageList } from './message-list';
import './message-composer';
import './message-list';
import { revealMessage } from './reveal-message';

@customElement('parley-conversation-view')
export class ConversationView extends LitElement {
  static override styles = [sharedStyles, conversationViewStyles];

  @property({ attribute: false }) account: UserServices | null = null;
  @property() conversationId: string | null = null;
  /** Open at this message (the route's `?m=`): scrolled into view once it is on the device. */
  @property() revealId: string | null = null;

  private readonly current = new ConversationController(this);
  // Re-render when the inbox refreshes: the peer's name and presence come from it.
  private readonly inbox = new StoreController(this, () => this.account?.inbox);
  private readonly presence = new StoreController(this, () => this.account?.presence);
  private readonly contacts = new StoreController(this, () => this.account?.contacts);
  private readonly outbox = new StoreController(this, () => this.account?.outbox);
  private readonly clock = new NowController(this);
  private readonly requestAction = new ActionController(this);
  private atBottom = true;
  private markReadQueued = false;
  /** Unread count when the conversation was opened, for the "New messages" divider. */
  private unreadAtOpen = 0;
  @state() private dividerId: string | null = null;
  /** A reply or an edit being written in the composer. */
  private readonly composing = new ComposingController(
    this,
    () => this.composer,
    () => (this.conversationId ? (this.account?.drafts.get(this.conversationId) ?? '') : ''),
  );
  private dividerFixed = false;

  @query('parley-message-list') private list!: MessageList | null;
  @query('parley-message-composer') private composer!: MessageComposer | null;

  override connectedCallback(): void {
    super.connectedCallback();
    // While the messages load; offline and not cached yet: the next open tries again.
    loadElement('parley-message-attachments').catch(() => undefined);
    document.addEventListener('visibilitychange', this.onVisibility);
    window.addEventListener('focus', this.onVisibility);
    window.addEventListener('blur', this.onVisibility);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    document.removeEventListener('visibilitychange', this.onVisibility);
    window.removeEventListener('focus', this.onVisibility);
    window.removeEventListener('blur', this.onVisibility);
    this.current.conversation?.setViewing(false);
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('account') || changed.has('conversationId')) {
      this.current.conversation?.setViewing(false);
      this.atBottom = true;
      this.unreadAtOpen = this.conversationId
        ? (this.account?.inbox.find(this.conversationId)?.unread ?? 0)
        : 0;
      this.dividerId = null;
      this.dividerFixed = false;
      this.composing.reset();
      this.current.show(this.account, this.conversationId);
    }
    this.fixDivider();
  }

  /**
   * Place the "New messages" divider once, when the conversation has synced (so the
   * unread messages are on the device): before the first of the unread ones.
   */
  private fixDivider(): void {
    const state = this.current.state;
    if (this.dividerFixed || !state || state.status !== 'synced') return;
    this.dividerFixed = true;
    this.dividerId = firstUnreadId(state.messages, this.unreadAtOpen);
  }

  protected override updated(changed: PropertyValues<this>): void {
    // Opened (by keyboard too): focus goes to the composer once it has rendered its field.
    if (changed.has('conversationId') && this.conversationId) this.focusComposerWhenReady();
    this.current.conversation?.setViewing(document.visibilityState === 'visible');
    this.maybeMarkRead();
    this.maybeReveal();
  }

  /** Put focus in the composer (a person chosen from search: their conversation, ready to write). */
  focusComposer(): void {
    this.focusComposerWhenReady();
  }

  private focusComposerWhenReady(): void {
    const id = this.conversationId;
    const composer = this.composer;
    if (!composer) {
      // The summary is still loading: try again on the next update.
      void this.updateComplete.then(() => {
        if (this.composer && this.conversationId === id) this.focusComposerWhenReady();
      });
      return;
    }
    void composer.updateComplete.then(() => {
      if (this.conversationId === id) composer.focus();
    });
  }

  /** `conversationId/revealId` already shown (or given up on), and whether one is under way. */
  private revealed: string | null = null;
  private revealing = false;

  /**
   * Show `revealId` once the conversation is ready; until it has synced, a message not yet
   * on the device is tried again on a later update.
   */
  private maybeReveal(): void {
    const { revealId, conversationId, list } = this;
    const state = this.current.state;
    const conversation = this.current.conversation;
    if (!revealId || !conversationId || !list || !conversation || !state?.ready) return;
    const key = `${conversationId}/${revealId}`;
    if (this.revealing || this.revealed === key) return;
    this.revealing = true;
    void revealMessage(list, revealId)
      .then((shown) => {
        if (shown || this.current.state?.status === 'synced') this.revealed = key;
      })
      .finally(() => {
        this.revealing = false;
      });
  }

  /** Uploads on their way in this conversation; their element loads with the first one. */
  private renderOutbox(id: string) {
    const pending = (this.account?.outbox.snapshot.pending ?? []).filter(
      (m) => m.conversationId === id,
    );
    if (pending.length === 0 || !ready(this, 'parley-outbox-progress')) return null;
    return html`<parley-outbox-progress
      .pending=${pending}
      @outbox-cancel=${this.onOutboxCancel}
    ></parley-outbox-progress>`;
  }

  override render() {
    ready(this, 'parley-menu-button'); // the header's options; its place is kept meanwhile
    const summary = this.current.summary;
    const state = this.current.state;
    if (!summary) {
      return html`<section class="view glass" aria-label="Conversation">
        ${this.renderBack()}
        <p class="center" role=${this.current.error ? 'alert' : 'none'}>
          ${this.current.error ?? 'Loading…'}
        </p>
      </section>`;
    }
    const peer = this.account?.presence.resolve(summary.peer) ?? summary.peer;
    // Read receipts off (either side) or a request: the other person's reads are not shown.
    this.current.conversation?.setReadsShared(sharesReads(summary));
    void this.presence.value;
    const relation = this.account?.contacts.relation(peer.id) ?? 'none';
    void this.contacts.value;
    const status = state?.status ?? 'loading-local';
    const forbidden = status === 'forbidden';
    return html`<section class="view glass" aria-labelledby="peer-name" data-sync-state=${status}>
      <header>
        ${this.renderBack()}
        <parley-avatar
          class="avatar"
          user-id=${peer.id}
          .name=${peer.displayName}
          .photo=${peer.avatar ?? null}
        ></parley-avatar>
        <div class="who">
          <h1 id="peer-name" dir="auto">
            ${peer.displayName}${
              summary.muted
                ? html`<span class="muted-mark" role="img" aria-label="Notifications muted"
                    >🔕</span
                  >`
                : null
            }
          </h1>
          ${
            // Typing replaces the presence text under the name (from the open document's
            // awareness, or the event stream's relay while it connects).
            state?.peerTyping || this.account?.inbox.snapshot.typing.has(summary.id)
              ? html`<span class="presence typing" data-testid="peer-presence">typing…</span>`
              : html`<span
                  class="presence ${peer.online ? 'online' : ''}"
                  data-testid="peer-presence"
                  ><span class="dot" aria-hidden="true"></span>${presenceText(
                    peer,
                    this.clock.now,
                  )}</span
                >`
          }${peer.about ? html`<span class="about" dir="auto">${peer.about}</span>` : null}
        </div>
        <parley-menu-button
          label="Conversation options"
          .items=${[
            ...muteMenu(summary.muted !== null),
            ...prefMenu(summary),
            ...peopleMenu(relation),
          ]}
          @menu-select=${(e: MenuSelectEvent) => this.onPeopleMenu(e, peer.id, summary.id)}
        ></parley-menu-button>
      </header>
      ${summary.request ? this.renderRequest(peer.displayName, peer.id) : null}
      ${
        forbidden
          ? html`<p class="banner" role="alert">You're not part of this conversation.</p>`
          : null
      }
      ${
        state?.refused === QUOTA_REFUSAL
          ? html`<p class="banner" role="alert">${QUOTA_REFUSAL}</p>`
          : state?.refused
            ? html`<p class="banner" role="alert">
                The server refused a change in this conversation, so it is not syncing. Your
                messages are kept on this device.
              </p>`
            : null
      }
      ${
        state?.newerSchema
          ? html`<p class="newer" role="status">
              Some messages here were written by a newer version of Parley. Reload the page to
              update.
            </p>`
          : null
      }
      ${keyed(
        summary.id,
        html`<parley-message-list
          .messages=${state?.messages ?? []}
          .peerName=${peer.displayName}
          .peerId=${peer.id}
          .conversationId=${summary.id}
          .locate=${this.locate}
          ?ready=${state?.ready ?? false}
          .firstUnreadId=${this.dividerId}
          .older=${state?.older ?? 'none'}
          @list-bottom=${this.onListBottom}
          @list-top=${this.onListTop}
          @message-delete=${this.onDelete}
          @message-action=${this.onMessageAction}
          @reaction-toggle=${this.onReaction}
        ></parley-message-list>`,
      )}
      ${
        this.composing.notice
          ? html`<p class="banner" role="alert">${this.composing.notice}</p>`
          : null
      }
      <div class="typing" aria-live="polite">
        ${state?.peerTyping ? `${peer.displayName} is typing…` : ''}
      </div>
      ${
        // One composer (and list) per conversation: a draft never follows you elsewhere.
        keyed(
          summary.id,
          html`${this.renderOutbox(summary.id)}
            <parley-message-composer
              ?disabled=${forbidden}
              .draft=${this.account?.drafts.get(summary.id) ?? ''}
              .context=${this.composing.context}
              @attachments-picked=${this.onFilesPicked}
              @voice-recorded=${this.onVoiceRecorded}
              @composer-cancel=${this.onComposerCancel}
              @composer-draft=${this.onDraft}
              @message-send=${this.onSend}
              @composer-typing=${this.onTyping}
            ></parley-message-composer>`,
        )
      }
    </section>`;
  }

  /** A message request: nothing of yours (read receipts, presence) reaches them until you accept. */
  private renderRequest(name: string, peerId: string) {
    const pending = this.requestAction.pending;
    return html`<div class="request" role="region" aria-label="Message request">
      <p>
        <strong>${name}</strong> is not in your contacts. They won't see that you have read their
        messages, or when you are online, until you accept.
      </p>
      <div class="actions">
        <button class="primary" type="button" ?disabled=${pending} @click=${this.onAccept}>
          Accept
        </button>
        <button type="button" ?disabled=${pending} @click=${this.onDecline}>Decline</button>
        <button
          type="button"
          ?disabled=${pending}
          @click=${() => this.dispatchEvent(new PersonActionEvent('block', peerId))}
        >
          Block
        </button>
      </div>
      ${
        this.requestAction.error
          ? html`<p class="banner" role="alert">${this.requestAction.error}</p>`
          : null
      }
    </div>`;
  }

  private readonly onAccept = async (): Promise<void> => {
    const { account, conversationId } = this;
    if (!account || !conversationId) return;
    await this.requestAction.run(() => account.inbox.accept(conversationId));
  };

  private readonly onDecline = async (): Promise<void> => {
    const { account, conversationId } = this;
    if (!account || !conversationId) return;
    const ok = await this.requestAction.run(() => account.inbox.decline(conversationId));
    if (ok) this.dispatchEvent(new NavigateEvent('/'));
  };

  private renderBack() {
    return html`<button class="back ghost" type="button" @click=${this.onBack}>
      <span aria-hidden="true">←</span>&nbsp;Back
    </button>`;
  }

  private readonly onBack = (): void => {
    this.dispatchEvent(new NavigateEvent('/'));
  };

  private readonly onSend = (e: MessageSendEvent): void => {
    const id = this.composing.send(this.current.conversation, e.text);
    if (id) this.list?.scrollToEnd();
  };

  /** How the message list loads older history to reveal a message (`Conversation.locate`). */
  private readonly locate = (id: string): Promise<boolean> =>
    this.current.conversation?.locate(id) ?? Promise.resolve(false);

  /** Reply or Edit from a message's menu, its keyboard shortcut or a swipe. */
  private readonly onMessageAction = (e: MessageActionEvent): void => {
    const m = this.current.state?.messages.find((x) => x.id === e.messageId);
    if (!m || m.deleted) return;
    if (e.action === 'reply')
      this.composing.reply(m, m.mine ? 'yourself' : (this.current.summary?.peer.displayName ?? ''));
    else if (e.action === 'edit') this.composing.edit(m);
  };

  private readonly onComposerCancel = (): void => {
    this.composing.end();
  };

  private readonly onReaction = (e: ReactionToggleEvent): void => {
    this.current.conversation?.toggleReaction(e.messageId, e.emoji);
  };

  /** Photos and files go through the outbox: the message is written once they are uploaded. */
  private readonly onFilesPicked = async (e: AttachmentsPickedEvent): Promise<void> => {
    const id = this.conversationId;
    const outbox = this.account?.outbox;
    if (!id || !outbox) return;
    await outbox.addFiles(id, e.files);
    this.list?.scrollToEnd();
  };

  private readonly onVoiceRecorded = async (e: VoiceRecordedEvent): Promise<void> => {
    const id = this.conversationId;
    if (!id) return;
    await this.account?.outbox.add(id, '', [e.file]);
    this.list?.scrollToEnd();
  };

  private readonly onOutboxCancel = (e: OutboxCancelEvent): void => {
    void this.account?.outbox.cancel(e.id);
  };

  private readonly onDraft = (e: ComposerDraftEvent): void => {
    if (this.conversationId) this.account?.drafts.set(this.conversationId, e.text);
  };

  private onPeopleMenu(e: MenuSelectEvent, peerId: string, conversationId: string): void {
    e.stopPropagation();
    if (dispatchPref(this, e, conversationId)) return;
    if (e.value === 'unmute') {
      this.dispatchEvent(new MuteEvent(conversationId, null));
      return;
    }
    const duration = e.value.startsWith('mute:') ? e.value.slice(5) : null;
    if (duration !== null) {
      if (MUTE_DURATIONS.includes(duration))
        this.dispatchEvent(new MuteEvent(conversationId, duration as MuteDuration));
      return;
    }
    this.dispatchEvent(new PersonActionEvent(e.value as PersonAction, peerId));
  }

  private readonly onDelete = (e: MessageDeleteEvent): void => {
    this.current.conversation?.deleteMessage(e.messageId);
  };

  private readonly onTyping = (e: ComposerTypingEvent): void => {
    this.current.conversation?.setTyping(e.typing);
  };

  /** Scrolled to the oldest loaded message: load the next older (sealed) document. */
  private readonly onListTop = (): void => {
    void this.current.conversation?.loadOlder();
  };

  private readonly onListBottom = (e: ListBottomEvent): void => {
    this.atBottom = e.atBottom;
    this.maybeMarkRead();
  };

  private readonly onVisibility = (): void => {
    this.current.conversation?.setViewing(document.visibilityState === 'visible');
    this.maybeMarkRead();
  };

  /**
   * Mark read when `shouldMarkRead` (client/data/read-receipts.ts) says the newest message
   * is seen. Runs again on focus and visibility changes. Checked once after the next frame: the first
   * check walks the whole document (which messages your read marker covers), and opening
   * a conversation should show its messages without waiting for that.
   */
  private maybeMarkRead(): void {
    if (this.markReadQueued) return;
    this.markReadQueued = true;
    requestAnimationFrame(() =>
      setTimeout(() => {
        this.markReadQueued = false;
        this.markReadNow();
      }),
    );
  }

  private markReadNow(): void {
    if (!this.isConnected) return;
    const seen = shouldMarkRead({
      visible: document.visibilityState === 'visible',
      focused: document.hasFocus(),
      atBottom: this.atBottom,
      request: this.current.summary?.request,
    });
    const summary = this.current.summary;
    if (seen && summary) this.current.conversation?.markRead(sharesReads(summary));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'parley-conversation-view': ConversationView;
  }
}
