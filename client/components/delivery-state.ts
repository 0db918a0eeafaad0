/** The delivery state of your own message as an icon with an accessible name. */
import { html, svg } from 'lit';
import type { DeliveryState } from '../data/message-state';

const STATE_LABEL: Record<DeliveryState, string> = {
  pending: 'Pending',
  sent: 'Sent',
  delivered: 'Delivered',
  read: 'Read',
};

const clockIcon = svg`<svg viewBox="0 0 16 16" width="14" height="14" aria-hidden="true"><circle cx="8" cy="8" r="6" fill="none" stroke="currentColor" stroke-width="1.6"/><path d="M8 4.5V8l2.4 1.6" fill="none" stroke="currentColor" stroke-width="1.6" stroke-linecap="round"/></svg>`;
const tickIcon = svg`<svg viewBox="0 0 16 16" width="14" height="14" aria-hidden="true"><path d="M2.5 8.5l3.2 3.2L13.5 4" fill="none" stroke="currentColor" stroke-width="1.8" stroke-linecap="round" stroke-linejoin="round"/></svg>`;
/** Delivered: two outline ticks in the timestamp's colour. */
const doubleTickIcon = svg`<svg viewBox="0 0 20 16" width="18" height="14" aria-hidden="true"><path d="M1.5 8.5l3.2 3.2L12.5 4" fill="none" stroke="currentColor" stroke-width="1.8" stroke-linecap="round" stroke-linejoin="round"/><path d="M8.8 11.2l.5.5L17.5 4" fill="none" stroke="currentColor" stroke-width="1.8" stroke-linecap="round" stroke-linejoin="round"/></svg>`;
/** Read: a filled disc in the read colour with the two ticks cut out of it (shape and colour). */
const readIcon = svg`<svg viewBox="0 0 20 20" width="16" height="16" aria-hidden="true"><circle cx="10" cy="10" r="9.5" style="fill: var(--tick-read)"/><path d="M3.6 10.4l2.6 2.6L12.4 6.6" fill="none" style="stroke: var(--tick-read-ink)" stroke-width="1.9" stroke-linecap="round" stroke-linejoin="round"/><path d="M9.6 12.6l.4.4L16.4 6.6" fill="none" style="stroke: var(--tick-read-ink)" stroke-width="1.9" stroke-linecap="round" stroke-linejoin="round"/></svg>`;

const ICONS = {
  pending: clockIcon,
  sent: tickIcon,
  delivered: doubleTickIcon,
  read: readIcon,
} as const;

export function renderDeliveryState(state: DeliveryState) {
  const icon = ICONS[state];
  return html`<span
    class="state"
    role="img"
    aria-label=${STATE_LABEL[state]}
    title=${STATE_LABEL[state]}
    data-state=${state}
    >${icon}</span
  >`;
}
