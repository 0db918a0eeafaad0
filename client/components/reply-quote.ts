/**
 * The quote at the top of a reply: the original's author and first line ("Message
 * deleted" when it is gone). It is a button: activating it asks the list to reveal the
 * original (`message-reveal`), loading older history if need be.
 */
import { html } from 'lit';
import type { ReplyQuote } from '../data/message-extras';
import { MessageRevealEvent } from './events';
import type { NameOf } from './people-names';

export function renderReplyQuote(quote: ReplyQuote, nameOf: NameOf) {
  // from '' : the original is in history not loaded yet; activating the quote loads it.
  const author = quote.from === '' ? 'Earlier message' : nameOf(quote.from);
  const line =
    quote.excerpt === null
      ? quote.from === ''
        ? 'Show the original'
        : 'Message deleted'
      : quote.excerpt || 'Attachment';
  return html`<button
    type="button"
    class="quote"
    aria-label=${`Go to the original message: ${author}: ${line}`}
    @click=${(e: Event) => e.currentTarget?.dispatchEvent(new MessageRevealEvent(quote.id))}
  >
    <span class="quote-author" dir="auto">${author}</span>
    <span dir="auto" class="quote-line ${quote.excerpt === null ? 'gone' : ''}">${line}</span>
  </button>`;
}
