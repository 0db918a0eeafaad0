/**
 * Sign-up's field checks, all at once and in the form's order (the same rules as the
 * server: shared/validate.ts), and which field a server refusal belongs to.
 */
import { checkDisplayName, checkPassword, normalizeEmail } from '../../shared/validate';
import { ApiError } from '../data/api';

/** The sign-up fields in the order the form shows them. */
export const SIGN_UP_FIELDS = ['displayName', 'invite', 'email', 'password'] as const;
export type SignUpField = (typeof SIGN_UP_FIELDS)[number];
export type FieldErrors = Partial<Record<SignUpField, string>>;

export interface SignUpInput {
  displayName: string;
  email: string;
  password: string;
  /** Undefined when the server asks for no invite code. */
  invite?: string;
}

/** Every field's problem (none: an empty object). */
export function signUpErrors(input: SignUpInput): FieldErrors {
  const errors: FieldErrors = {};
  const name = checkDisplayName(input.displayName);
  if (!name.ok) errors.displayName = name.message;
  if (input.invite !== undefined && !input.invite.trim())
    errors.invite = 'Sign-up on this server needs an invite code.';
  const email = normalizeEmail(input.email);
  if (!email.ok) errors.email = email.message;
  const password = checkPassword(input.password);
  if (!password.ok) errors.password = password.message;
  return errors;
}

/** The field a refusal from the server is about, or null when it is about the whole form. */
export function fieldOf(error: unknown): SignUpField | null {
  if (!(error instanceof ApiError)) return null;
  if (error.code === 'email-taken') return 'email';
  if (error.code === 'invalid-invite') return 'invite';
  if (error.code !== 'invalid-input') return null;
  const m = error.message;
  if (/^Display name/.test(m)) return 'displayName';
  if (/^Password/.test(m)) return 'password';
  if (/e-mail/i.test(m)) return 'email';
  if (/invite/i.test(m)) return 'invite';
  return null;
}
