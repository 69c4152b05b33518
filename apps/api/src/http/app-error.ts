import type { ErrorCode } from '@parley/contracts';

/** The one map from error code to HTTP status (API.md, Conventions). */
const statusOf: Record<ErrorCode, number> = {
  validation_failed: 400,
  unauthenticated: 401,
  invalid_credentials: 401,
  csrf_rejected: 403,
  forbidden: 403,
  not_found: 404,
  nickname_taken: 409,
  email_taken: 409,
  conversation_closed: 409,
  message_deleted: 409,
  direct_conversation: 409,
  too_many_reactions: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  unavailable: 503,
  internal: 500,
};

const defaultMessages: Record<ErrorCode, string> = {
  validation_failed: 'The request is not valid.',
  unauthenticated: 'Sign in first.',
  invalid_credentials: 'The email or password is not right.',
  csrf_rejected: 'This request came from another site.',
  forbidden: 'You may not do this.',
  not_found: 'Not found.',
  nickname_taken: 'That nickname is taken.',
  email_taken: 'That email is already registered.',
  conversation_closed: 'This conversation is closed.',
  message_deleted: 'This message was deleted.',
  direct_conversation: 'A direct conversation cannot be changed this way.',
  too_many_reactions: 'This message has as many different reactions as it can take.',
  payload_too_large: 'The request body is too large.',
  unsupported_media_type: 'Send JSON with Content-Type: application/json.',
  rate_limited: 'Too many attempts. Try again later.',
  unavailable: 'The service is briefly unavailable. Try again shortly.',
  internal: 'Something went wrong on our side.',
};

/** Services throw this; one handler turns it into the contract's error body. */
export class AppError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    message?: string,
    readonly fields?: Record<string, string>,
    /** Seconds, sent as Retry-After (429, 503). */
    readonly retryAfter?: number,
  ) {
    super(message ?? defaultMessages[code]);
    this.status = statusOf[code];
  }
}
