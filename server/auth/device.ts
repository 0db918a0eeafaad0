/**
 * What the devices list says about a session: the browser and platform from its
 * User-Agent (parsed with bowser), and a location-free hint of the address it signed in
 * from — the network part only ("192.168.1.x", "2001:db8:…"), never a geographic lookup.
 */
import type { IncomingMessage } from 'node:http';
import Bowser from 'bowser';
import type { SessionDevice } from '../store/user-store';

/** A User-Agent longer than this is cut (browsers send about 150 characters). */
const MAX_USER_AGENT = 512;

/**
 * The device of a request: its User-Agent and address hint. The address is Express's
 * `req.ip` (the forwarded client only behind a trusted proxy, see TRUST_PROXY), or the
 * socket's peer.
 */
export function deviceOf(req: IncomingMessage): SessionDevice {
  const ip = (req as IncomingMessage & { ip?: string }).ip ?? req.socket.remoteAddress ?? '';
  const ua = req.headers['user-agent'];
  return {
    userAgent: typeof ua === 'string' ? ua.slice(0, MAX_USER_AGENT) : '',
    address: addressHint(ip),
  };
}

/** "192.168.1.x" for IPv4 (and IPv4-mapped IPv6), the first two groups for IPv6; '' otherwise. */
export function addressHint(ip: string): string {
  const v4 = /^(?:::ffff:)?(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.\d{1,3}$/i.exec(ip.trim());
  if (v4) return `${v4[1]}.${v4[2]}.${v4[3]}.x`;
  if (!ip.includes(':')) return '';
  const groups = ip.trim().split('%')[0]!.split(':');
  // "::1" and other addresses that start with "::" have no leading groups to show.
  if (groups[0] === '') return ip.trim() === '::1' ? '::1' : '';
  const shown = groups.slice(0, 2).filter((g) => /^[0-9a-f]{1,4}$/i.test(g));
  return shown.length === 2 ? `${shown.join(':').toLowerCase()}:…` : '';
}

/** "Firefox", "Chrome" …, and "Windows", "macOS", "Android" …, from a User-Agent. */
export function describeUserAgent(userAgent: string): { browser: string; platform: string } {
  if (!userAgent) return { browser: 'Unknown browser', platform: 'Unknown system' };
  const parsed = Bowser.parse(userAgent);
  const browser = parsed.browser.name?.trim() || 'Unknown browser';
  const platform = parsed.os.name?.trim() || 'Unknown system';
  return { browser, platform };
}
