/**
 * The optional sound for new messages while Parley is open (off unless chosen; remembered
 * on this device). A short two-note chime made with Web Audio: no file to load.
 */
import { SnapshotStore } from './store';

export const SOUND_KEY = 'parley:sound';

export class MessageSound extends SnapshotStore<boolean> {
  private context: AudioContext | null = null;

  constructor(
    private readonly storage: Storage | null = typeof localStorage === 'undefined'
      ? null
      : localStorage,
  ) {
    let on = false;
    try {
      on = storage?.getItem(SOUND_KEY) === 'on';
    } catch {
      on = false;
    }
    super(on);
  }

  choose(on: boolean): void {
    try {
      if (on) this.storage?.setItem(SOUND_KEY, 'on');
      else this.storage?.removeItem(SOUND_KEY);
    } catch {
      // Storage disabled: the choice lasts for this page only.
    }
    this.set(on);
  }

  /** Chime, if chosen (browsers allow it once the page had a user gesture). */
  play(): void {
    if (!this.snapshot || typeof AudioContext === 'undefined') return;
    try {
      this.context ??= new AudioContext();
      const ctx = this.context;
      const start = ctx.currentTime;
      for (const [i, freq] of [660, 880].entries()) {
        const osc = ctx.createOscillator();
        const gain = ctx.createGain();
        const t = start + i * 0.12;
        osc.frequency.value = freq;
        gain.gain.setValueAtTime(0.0001, t);
        gain.gain.exponentialRampToValueAtTime(0.15, t + 0.02);
        gain.gain.exponentialRampToValueAtTime(0.0001, t + 0.18);
        osc.connect(gain).connect(ctx.destination);
        osc.start(t);
        osc.stop(t + 0.2);
      }
    } catch {
      // No audio output: nothing to do.
    }
  }
}
