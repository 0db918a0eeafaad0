/** Events of the attachment components (kept apart from events.ts: one job per file). */
import type { OutgoingFile } from '../data/outbox';

/** The person picked files or recorded a voice note to send. */
export class AttachmentsPickedEvent extends Event {
  static readonly eventName = 'attachments-picked';
  constructor(readonly files: readonly File[]) {
    super(AttachmentsPickedEvent.eventName, { bubbles: true, composed: true });
  }
}

/** A voice note was recorded and should be sent. */
export class VoiceRecordedEvent extends Event {
  static readonly eventName = 'voice-recorded';
  constructor(readonly file: OutgoingFile) {
    super(VoiceRecordedEvent.eventName, { bubbles: true, composed: true });
  }
}

/** Stop sending a queued message with attachments. */
export class OutboxCancelEvent extends Event {
  static readonly eventName = 'outbox-cancel';
  constructor(readonly id: string) {
    super(OutboxCancelEvent.eventName, { bubbles: true, composed: true });
  }
}
