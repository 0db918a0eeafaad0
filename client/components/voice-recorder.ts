/**
 * `<parley-voice-recorder>`: tap "Record a voice note" to start, "Send voice note" to stop
 * and send, "Cancel recording" to throw it away; shows the running duration. Records with
 * MediaRecorder (Opus in WebM or Ogg where supported) and dispatches `voice-recorded`.
 */
import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { formatDuration } from '../../shared/attachments';
import { sharedStyles } from '../styles/shared-styles';
import { VoiceRecordedEvent } from './attachment-events';

const TYPES = ['audio/webm;codecs=opus', 'audio/ogg;codecs=opus', 'audio/webm', 'audio/mp4'];

@customElement('parley-voice-recorder')
export class VoiceRecorder extends LitElement {
  static override styles = [
    sharedStyles,
    css`
      :host {
        display: inline-flex;
        align-items: center;
        gap: 0.4rem;
      }
      button.round {
        height: 2.75rem;
        width: 2.75rem;
        padding: 0;
        border-radius: 50%;
        font-size: 1.2rem;
      }
      .recording {
        color: var(--danger);
        font-variant-numeric: tabular-nums;
      }
      .error {
        color: var(--danger);
        font-size: 0.85rem;
      }
    `,
  ];

  @property({ type: Boolean }) disabled = false;
  @state() private recording = false;
  @state() private elapsedMs = 0;
  @state() private error = '';
  private recorder: MediaRecorder | null = null;
  private stream: MediaStream | null = null;
  private chunks: Blob[] = [];
  private startedAt = 0;
  private ticker: ReturnType<typeof setInterval> | null = null;
  private keep = false;

  override render() {
    if (!this.recording)
      return html`<button
          type="button"
          class="round"
          aria-label="Record a voice note"
          title="Record a voice note"
          ?disabled=${this.disabled || typeof MediaRecorder === 'undefined'}
          @click=${this.start}
        >
          <span aria-hidden="true">🎤</span></button
        >${this.error ? html`<span class="error" role="alert">${this.error}</span>` : nothing}`;
    return html`<span class="recording" role="timer" aria-live="off"
        >● Recording ${formatDuration(this.elapsedMs)}</span
      >
      <button type="button" @click=${this.cancel}>Cancel recording</button>
      <button type="button" class="primary" @click=${this.finish}>Send voice note</button>`;
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.stop(false);
  }

  private readonly start = async (): Promise<void> => {
    this.error = '';
    try {
      this.stream = await navigator.mediaDevices.getUserMedia({ audio: true });
    } catch {
      this.error = 'Parley may not use the microphone.';
      return;
    }
    const mimeType = TYPES.find((t) => MediaRecorder.isTypeSupported(t));
    const recorder = new MediaRecorder(this.stream, mimeType ? { mimeType } : {});
    this.chunks = [];
    recorder.ondataavailable = (e) => {
      if (e.data.size > 0) this.chunks.push(e.data);
    };
    recorder.onstop = () => this.done(recorder.mimeType);
    this.recorder = recorder;
    recorder.start(250);
    this.startedAt = performance.now();
    this.elapsedMs = 0;
    this.ticker = setInterval(() => (this.elapsedMs = performance.now() - this.startedAt), 250);
    this.recording = true;
  };

  private readonly finish = (): void => this.stop(true);
  private readonly cancel = (): void => this.stop(false);

  private stop(keep: boolean): void {
    if (!this.recorder) return;
    this.keep = keep;
    this.elapsedMs = performance.now() - this.startedAt;
    if (this.ticker) clearInterval(this.ticker);
    this.ticker = null;
    if (this.recorder.state !== 'inactive') this.recorder.stop();
    for (const t of this.stream?.getTracks() ?? []) t.stop();
    this.stream = null;
    this.recording = false;
  }

  private done(mimeType: string): void {
    this.recorder = null;
    const chunks = this.chunks;
    this.chunks = [];
    if (!this.keep || chunks.length === 0) return;
    const type = mimeType.split(';')[0] || 'audio/webm';
    const ext = type.includes('ogg') ? 'ogg' : type.includes('mp4') ? 'm4a' : 'webm';
    const stamp = new Date().toISOString().slice(0, 19).replace(/[T:]/g, '-');
    this.dispatchEvent(
      new VoiceRecordedEvent({
        blob: new Blob(chunks, { type }),
        name: `voice-${stamp}.${ext}`,
        voice: { durationMs: Math.max(1, Math.round(this.elapsedMs)) },
      }),
    );
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'parley-voice-recorder': VoiceRecorder;
  }
}
