/** Password hashing with @node-rs/bcrypt, nothing else. */
import { hash, verify } from '@node-rs/bcrypt';

export class Passwords {
  /** A hash of a random password, verified when the e-mail is unknown so timing tells nothing. */
  private readonly dummy: Promise<string>;

  constructor(private readonly cost: number) {
    this.dummy = hash('parley-dummy-password-for-timing', { cost });
  }

  hash(password: string): Promise<string> {
    return hash(password, { cost: this.cost });
  }

  async verify(password: string, stored: string | null): Promise<boolean> {
    // A deleted account's hash is '!' (no password opens it): checked like an unknown e-mail.
    if (stored === null || !stored.startsWith('$2')) {
      await verify(password, await this.dummy);
      return false;
    }
    return verify(password, stored);
  }
}
