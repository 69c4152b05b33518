import type { Dispatcher, request as undiciRequest } from 'undici';
import { loadOnce } from '../load-once.ts';
import { isAllowListed } from '../net/public-address.ts';

/** The contract's limits (API.md, Link previews); tests may shorten them, never lengthen them. */
export interface FetchLimits {
  connectMs: number;
  totalMs: number;
  pageBytes: number;
  imageBytes: number;
  redirects: number;
}
export const DEFAULT_LIMITS: FetchLimits = {
  connectMs: 3_000,
  totalMs: 10_000,
  pageBytes: 1024 * 1024,
  imageBytes: 5 * 1024 * 1024,
  redirects: 5,
};

/** Why a fetch gave up; `code` is what the logs say. */
export class PreviewFetchError extends Error {
  constructor(
    readonly code:
      | 'scheme'
      | 'port'
      | 'too_many_redirects'
      | 'status'
      | 'not_html'
      | 'not_image'
      | 'too_large'
      | 'timeout'
      | 'blocked_address'
      | 'network',
    message: string,
  ) {
    super(message);
  }
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);
const ALLOWED_PORTS = new Set(['80', '443']);
const USER_AGENT = 'ParleyLinkPreview/1.0 (+https://github.com/parley)';

export interface Fetched {
  body: Buffer;
  /** The URL that answered, after redirects: relative links in the page resolve against it. */
  url: URL;
  contentType: string;
}

export interface UrlFetcher {
  /** The first `pageBytes` of an HTML page (a longer page is cut, not refused). */
  page(url: string): Promise<Fetched>;
  /** A whole image of at most `imageBytes`; a bigger one is refused. */
  image(url: string): Promise<Fetched>;
  close(): Promise<void>;
}

/**
 * Fetches on a member's behalf through the guard of ADR 031: every connection, redirects included,
 * reaches only public unicast addresses on ports 80 and 443. Redirects are followed here, by hand,
 * so that each hop is checked like the first; the whole walk shares one deadline.
 */
export function createUrlFetcher(allow: ReadonlySet<string>, limits: FetchLimits = DEFAULT_LIMITS): UrlFetcher {
  const isAllowed = (host: string, port: string) => {
    const h = host.toLowerCase();
    return port ? allow.has(`${h}:${port}`) : allow.has(`${h}:80`) || allow.has(`${h}:443`);
  };
  let dispatcher: Dispatcher | undefined;
  let closed = false;
  const connection = async () => {
    const { request, createPublicDispatcher } = await undici();
    // Closed while undici loaded: no dispatcher is made that nothing would destroy.
    if (closed) throw new PreviewFetchError('network', 'the fetcher is closed');
    dispatcher ??= createPublicDispatcher({ isAllowed, connectTimeoutMs: limits.connectMs });
    return { request, dispatcher };
  };

  async function fetchCapped(start: string, kind: 'page' | 'image'): Promise<Fetched> {
    const signal = AbortSignal.timeout(limits.totalMs);
    let url = new URL(start);
    for (let hop = 0; ; hop++) {
      checkUrl(url, allow);
      const res = await send(await connection(), url, kind, signal);
      if (REDIRECTS.has(res.statusCode)) {
        await res.body.dump().catch(() => {});
        const location = res.headers.location;
        if (typeof location !== 'string') throw new PreviewFetchError('status', 'a redirect without a Location');
        if (hop >= limits.redirects) throw new PreviewFetchError('too_many_redirects', `more than ${limits.redirects}`);
        url = new URL(location, url);
        continue;
      }
      if (res.statusCode < 200 || res.statusCode > 299) {
        await res.body.dump().catch(() => {});
        throw new PreviewFetchError('status', `answered ${res.statusCode}`);
      }
      const contentType = String(res.headers['content-type'] ?? '')
        .split(';')[0]!
        .trim()
        .toLowerCase();
      const wanted = kind === 'page' ? isHtml(contentType) : contentType.startsWith('image/');
      if (!wanted) {
        discard(res.body);
        throw new PreviewFetchError(kind === 'page' ? 'not_html' : 'not_image', `is ${contentType || 'untyped'}`);
      }
      const cap = kind === 'page' ? limits.pageBytes : limits.imageBytes;
      const body = await readCapped(res.body, cap, kind === 'page', signal);
      return { body, url, contentType };
    }
  }

  return {
    page: (url) => fetchCapped(url, 'page'),
    image: (url) => fetchCapped(url, 'image'),
    close: async () => {
      closed = true;
      await dispatcher?.destroy();
    },
  };
}

/** Hangs up on a body we will not read; the abort that follows is expected, not an error. */
function discard(body: { on(event: 'error', listener: () => void): unknown; destroy(): void }) {
  body.on('error', () => {});
  body.destroy();
}

const isHtml = (type: string) => type === 'text/html' || type === 'application/xhtml+xml';

/** http(s) only; ports 80 and 443 only, unless the URL's host and port are allow-listed (tests). */
function checkUrl(url: URL, allow: ReadonlySet<string>) {
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new PreviewFetchError('scheme', url.protocol);
  const port = url.port || (url.protocol === 'https:' ? '443' : '80');
  if (!ALLOWED_PORTS.has(port) && !isAllowListed(allow, url)) throw new PreviewFetchError('port', `port ${port}`);
}

/** undici and the guarded dispatcher load with the first preview fetched, not at start-up (ADR 047). */
const undici = loadOnce(() => import('../net/public-dispatcher.ts'));

async function send(
  { request, dispatcher }: { request: typeof undiciRequest; dispatcher: Dispatcher },
  url: URL,
  kind: 'page' | 'image',
  signal: AbortSignal,
) {
  try {
    return await request(url, {
      dispatcher,
      method: 'GET',
      signal,
      headers: {
        'user-agent': USER_AGENT,
        accept: kind === 'page' ? 'text/html,application/xhtml+xml' : 'image/*',
      },
    });
  } catch (err) {
    throw asFetchError(err, signal);
  }
}

/** Reads at most `cap` bytes; past it a page is cut there, an image refused. */
async function readCapped(
  body: AsyncIterable<Buffer> & { on(event: 'error', listener: () => void): unknown; destroy(): void },
  cap: number,
  cut: boolean,
  signal: AbortSignal,
): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of body) {
      if (size + chunk.length > cap) {
        discard(body);
        if (!cut) throw new PreviewFetchError('too_large', `over ${cap} bytes`);
        chunks.push(chunk.subarray(0, cap - size));
        size = cap;
        break;
      }
      chunks.push(chunk);
      size += chunk.length;
    }
  } catch (err) {
    if (err instanceof PreviewFetchError) throw err;
    throw asFetchError(err, signal);
  }
  return Buffer.concat(chunks, size);
}

function asFetchError(err: unknown, signal: AbortSignal): PreviewFetchError {
  if (signal.aborted) return new PreviewFetchError('timeout', 'took too long');
  const e = err as { code?: string; cause?: { code?: string }; message?: string };
  const code = e.code ?? e.cause?.code;
  if (code === 'ERR_BLOCKED_ADDRESS') return new PreviewFetchError('blocked_address', e.message ?? 'blocked');
  if (code === 'UND_ERR_CONNECT_TIMEOUT') return new PreviewFetchError('timeout', 'could not connect in time');
  return new PreviewFetchError('network', code ?? e.message ?? 'failed');
}
