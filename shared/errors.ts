/** Error codes carried in `{ error: { code, message } }` and their HTTP statuses. */

export type ErrorCode =
  | 'invalid-input'
  | 'unauthenticated'
  | 'invalid-credentials'
  | 'forbidden'
  | 'not-found'
  | 'email-taken'
  | 'conflict'
  | 'too-large'
  | 'rate-limited'
  | 'account-disabled'
  | 'registration-closed'
  | 'invalid-invite'
  | 'invalid-link'
  | 'internal';

export interface ApiErrorBody {
  error: { code: ErrorCode; message: string };
}

export const errorStatus: Record<ErrorCode, number> = {
  'invalid-input': 400,
  unauthenticated: 401,
  'invalid-credentials': 401,
  forbidden: 403,
  'not-found': 404,
  'email-taken': 409,
  conflict: 409,
  'too-large': 413,
  'rate-limited': 429,
  'account-disabled': 403,
  'registration-closed': 403,
  'invalid-invite': 403,
  'invalid-link': 400,
  internal: 500,
};

export function isApiErrorBody(value: unknown): value is ApiErrorBody {
  if (typeof value !== 'object' || value === null) return false;
  const error = (value as { error?: unknown }).error;
  return (
    typeof error === 'object' &&
    error !== null &&
    typeof (error as { code?: unknown }).code === 'string'
  );
}
