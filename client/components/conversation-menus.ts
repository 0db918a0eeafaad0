/**
 * The items of a conversation header's menu: notifications (mute, unmute) and what you
 * can do about the other person for your relation to them.
 */
import type { Relation } from '../data/contacts';
import type { MenuItem } from './menu-button';

/** The header menu's people actions for each relation to the other person. */
export function peopleMenu(relation: Relation): MenuItem[] {
  switch (relation) {
    case 'blocked':
      return [{ label: 'Unblock', value: 'unblock' }];
    case 'contact':
      return [
        { label: 'Remove contact', value: 'remove' },
        { label: 'Block', value: 'block', danger: true },
      ];
    case 'outgoing':
      return [{ label: 'Block', value: 'block', danger: true }];
    default:
      return [
        { label: 'Add contact', value: 'add' },
        { label: 'Block', value: 'block', danger: true },
      ];
  }
}

/** The header menu's notification items: mute for a while or always, or unmute. */
export function muteMenu(muted: boolean): MenuItem[] {
  if (muted) return [{ label: 'Unmute notifications', value: 'unmute' }];
  return [
    { label: 'Mute for 1 hour', value: 'mute:1h' },
    { label: 'Mute for 8 hours', value: 'mute:8h' },
    { label: 'Mute for 1 week', value: 'mute:1w' },
    { label: 'Mute always', value: 'mute:always' },
  ];
}

/** The durations `muteMenu` offers (`mute:<duration>`). */
export const MUTE_DURATIONS: readonly string[] = ['1h', '8h', '1w', 'always'];
