/** The push endpoint rule: https on a public address, never the server's own network. */
import { describe, expect, it } from 'vitest';
import { endpointProblem, isPrivateAddress } from '../../../server/push/endpoint-check';

describe('push endpoints', () => {
  it('refuses private, loopback, link-local and mapped addresses', () => {
    for (const a of [
      '127.0.0.1',
      '10.1.2.3',
      '172.20.0.1',
      '192.168.1.1',
      '169.254.169.254',
      '100.64.0.1',
      '0.0.0.0',
      '::1',
      'fe80::1',
      'fd00::1',
      '::ffff:127.0.0.1',
      'not-an-ip',
    ])
      expect(isPrivateAddress(a), a).toBe(true);
    for (const a of ['8.8.8.8', '142.250.74.110', '2a00:1450:4001:82b::200e'])
      expect(isPrivateAddress(a), a).toBe(false);
  });

  it('needs an https URL on a public address unless private endpoints are allowed (tests)', async () => {
    expect(await endpointProblem('http://8.8.8.8/push', false)).toMatch(/https/);
    expect(await endpointProblem('https://127.0.0.1/push', false)).toMatch(/public/);
    expect(await endpointProblem('https://[::1]/push', false)).toMatch(/public/);
    expect(await endpointProblem('https://localhost/push', false)).toMatch(/public|resolve/);
    expect(await endpointProblem('https://user:pw@8.8.8.8/push', false)).toMatch(/credentials/);
    expect(await endpointProblem('nonsense', false)).toMatch(/URL/);
    expect(await endpointProblem('ftp://8.8.8.8/x', true)).toMatch(/https/);
    expect(await endpointProblem('https://8.8.8.8/push', false)).toBeNull();
    expect(await endpointProblem('http://127.0.0.1:9/push', true)).toBeNull();
  });
});
