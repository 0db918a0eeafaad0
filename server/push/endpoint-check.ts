/**
 * A push subscription's endpoint is a URL the server will POST to: it must be an https URL
 * of a public host, never a private, loopback or link-local address (the server must not be
 * usable to reach its own network). Checked when a device subscribes and again before each
 * send, since a name can be re-pointed. Tests allow http and loopback with
 * PUSH_ALLOW_PRIVATE_ENDPOINTS=1.
 */
import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';

const privateRanges = new BlockList();
for (const [net, bits] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const)
  privateRanges.addSubnet(net, bits, 'ipv4');
for (const [net, bits] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const)
  privateRanges.addSubnet(net, bits, 'ipv6');

/** True for an address the server must not send to. */
export function isPrivateAddress(address: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped?.[1]) return privateRanges.check(mapped[1], 'ipv4');
  const family = isIP(address);
  if (family === 0) return true;
  return privateRanges.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

/** Why the endpoint may not be used, or null when it may. */
export async function endpointProblem(
  endpoint: string,
  allowPrivate: boolean,
): Promise<string | null> {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    return 'The endpoint must be a URL.';
  }
  if (url.username || url.password) return 'The endpoint must not carry credentials.';
  if (allowPrivate)
    return url.protocol === 'https:' || url.protocol === 'http:'
      ? null
      : 'The endpoint must be an https URL.';
  if (url.protocol !== 'https:') return 'The endpoint must be an https URL.';
  const host = url.hostname.replace(/^\[|\]$/g, '');
  let addresses: string[];
  try {
    addresses = isIP(host) ? [host] : (await lookup(host, { all: true })).map((a) => a.address);
  } catch {
    return 'The endpoint’s host does not resolve.';
  }
  if (addresses.length === 0 || addresses.some(isPrivateAddress))
    return 'The endpoint must be on a public address.';
  return null;
}
