/** Client routes from the address: the auth, recovery and admin pages, with their query. */
import { describe, expect, it } from 'vitest';
import { parseRoute } from '../../../client/router';

describe('parseRoute', () => {
  it('reads the invite code of a sign-up link', () => {
    expect(parseRoute('/sign-up', '?invite=abc_DEF-123')).toEqual({
      name: 'sign-up',
      invite: 'abc_DEF-123',
    });
    expect(parseRoute('/sign-up', '')).toEqual({ name: 'sign-up' });
  });

  it("reads a one-time link's token and whether it welcomes a new account", () => {
    expect(parseRoute('/reset', '?token=t0k3n')).toEqual({
      name: 'reset',
      token: 't0k3n',
      welcome: false,
    });
    expect(parseRoute('/reset', '?token=t0k3n&welcome=1')).toMatchObject({ welcome: true });
    expect(parseRoute('/reset')).toEqual({ name: 'reset', token: '', welcome: false });
  });

  it('knows the forgot-password and admin pages', () => {
    expect(parseRoute('/forgot')).toEqual({ name: 'forgot' });
    expect(parseRoute('/admin')).toEqual({ name: 'admin' });
    expect(parseRoute('/admin/x')).toEqual({ name: 'not-found', path: '/admin/x' });
  });
});
