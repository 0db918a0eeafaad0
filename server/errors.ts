/** The server's one error type: a code from shared/errors.ts plus a user-facing message. */
import { errorStatus, type ErrorCode } from '../shared/errors';

export class AppError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.status = errorStatus[code];
  }
}
