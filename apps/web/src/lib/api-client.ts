import type { ErrorBody } from '@parley/contracts';
import { takeEarlyResponse } from './early-requests.ts';

type ErrorDetail = ErrorBody['error'];

/** An answer from the API that is not 2xx, carrying the contract's error body. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly fields: Record<string, string> | undefined;
  /** Seconds from `Retry-After` on 429 and 503. */
  readonly retryAfter: number | undefined;

  constructor(status: number, detail: ErrorDetail, retryAfter?: number) {
    super(detail.message);
    this.name = 'ApiError';
    this.status = status;
    this.code = detail.code;
    this.fields = detail.fields;
    this.retryAfter = retryAfter;
  }

  /** Worth trying again later with the same request: the server said so, or is in trouble. */
  get transient(): boolean {
    return this.status === 429 || this.status >= 500;
  }
}

/** The request never got an answer (offline, DNS, connection reset). */
export class NetworkError extends Error {
  constructor(cause: unknown) {
    super("Can't reach Parley. Check your connection.", { cause });
    this.name = 'NetworkError';
  }
}

export function isTransientError(error: unknown): boolean {
  return error instanceof NetworkError || (error instanceof ApiError && error.transient);
}

interface RequestOptions {
  method?: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  body?: unknown;
  signal?: AbortSignal;
}

function isErrorBody(value: unknown): value is ErrorBody {
  if (typeof value !== 'object' || value === null || !('error' in value)) return false;
  const error = (value as { error: unknown }).error;
  return typeof error === 'object' && error !== null && 'code' in error && 'message' in error;
}

function parseRetryAfter(header: string | null): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, Math.ceil(seconds));
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - Date.now()) / 1000));
}

/** The one way the app talks to `/api`: JSON in, JSON out, the contract's error body thrown as ApiError. */
export async function api<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const method = options.method ?? 'GET';
  const headers: Record<string, string> = { Accept: 'application/json' };
  const init: RequestInit = { method, headers, credentials: 'same-origin', signal: options.signal ?? null };
  if (method !== 'GET') {
    // Every mutating request goes out as JSON, an empty one as `{}`. The API answers 415 to a mutating
    // request whose Content-Type is not JSON, even with an empty body (only a request with neither a
    // body nor a Content-Type reads as `{}`), so the header is never left to chance.
    headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(options.body ?? {});
  }

  let response: Response;
  try {
    // The first screen's reads may already be on their way, asked for by index.html (ADR 059).
    response = await ((method === 'GET' && takeEarlyResponse(path)) || fetch(`/api${path}`, init));
  } catch (error) {
    if (options.signal?.aborted) throw error;
    throw new NetworkError(error);
  }

  if (response.status === 204) return undefined as T;
  const text = await response.text();
  let data: unknown;
  try {
    data = text ? JSON.parse(text) : undefined;
  } catch {
    data = undefined;
  }

  if (!response.ok) {
    const detail: ErrorDetail = isErrorBody(data)
      ? data.error
      : { code: response.status >= 500 ? 'unavailable' : 'unknown', message: 'Something went wrong. Try again.' };
    throw new ApiError(response.status, detail, parseRetryAfter(response.headers.get('Retry-After')));
  }
  return data as T;
}
