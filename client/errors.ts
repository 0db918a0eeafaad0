/** Turns anything thrown by the data layer into a sentence fit to show a person. */
import { ApiError } from './data/api';

const byCode: Partial<Record<ApiError['code'], string>> = {
  network: "Can't reach Parley. Check your connection.",
  unauthenticated: 'Sign in to continue.',
  'invalid-credentials': 'Wrong e-mail or password.',
  forbidden: "You're not part of this conversation.",
  'not-found': 'That conversation does not exist.',
  'email-taken': 'An account with this e-mail already exists. Sign in instead.',
  'rate-limited': 'Too many attempts. Wait a moment and try again.',
};

export function errorText(error: unknown): string {
  if (error instanceof ApiError)
    return error.message || byCode[error.code] || 'Something went wrong, try again.';
  return 'Something went wrong, try again.';
}
