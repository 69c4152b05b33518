import { readFileSync } from 'node:fs';
import vm from 'node:vm';
import { QueryClient } from '@tanstack/react-query';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { meQuery } from '../src/features/auth/api.ts';
import { conversationQuery, conversationsQuery } from '../src/features/conversations/queries.ts';
import { messagesQuery } from '../src/features/messages/api.ts';
import { api } from '../src/lib/api-client.ts';
import { dropEarlyResponses } from '../src/lib/early-requests.ts';

// ADR 059: index.html asks for a signed-in first screen's data before the app's scripts have loaded, and the
// app adopts those answers. Both sides must name the same paths, byte for byte, or each read goes out twice.

const html = readFileSync(new URL('../index.html', import.meta.url), 'utf8');
const inlineScript = /<script>([\s\S]*?)<\/script>/.exec(html)?.[1] ?? '';

/** Runs index.html's inline script as a page at `pathname` would, and returns the URLs it fetched. */
function earlyRequests(pathname: string, cookie: string): string[] {
  const asked: string[] = [];
  const window: { __parleyEarly?: Record<string, Promise<Response>> } = {};
  vm.runInNewContext(inlineScript, {
    window,
    document: { cookie },
    location: { pathname },
    fetch: (url: string) => {
      asked.push(url);
      return Promise.resolve(new Response('{}'));
    },
  });
  expect(Object.keys(window.__parleyEarly ?? {}).map((path) => `/api${path}`)).toEqual(asked);
  return asked;
}

const signedIn = 'theme=dark; parley_session_hint=1';

describe('the early requests of index.html', () => {
  it('asks for nothing on a visit with no session hint', () => {
    expect(inlineScript).toContain('fetch(');
    expect(earlyRequests('/c/7', 'theme=dark')).toEqual([]);
  });

  it('asks for the user and the list on any signed-in screen, and the conversation on /c/<id>', () => {
    expect(earlyRequests('/login', signedIn)).toEqual(['/api/auth/me']);
    expect(earlyRequests('/search', signedIn)).toEqual(['/api/auth/me', '/api/conversations']);
    expect(earlyRequests('/c/abc', signedIn)).toEqual(['/api/auth/me', '/api/conversations']);
    expect(earlyRequests('/c/7', signedIn)).toEqual([
      '/api/auth/me',
      '/api/conversations',
      '/api/conversations/7',
      '/api/conversations/7/messages?limit=50',
    ]);
  });
});

describe('the app’s first reads', () => {
  const fetched: string[] = [];
  const realFetch = globalThis.fetch;
  beforeEach(() => {
    fetched.length = 0;
    globalThis.fetch = (async (url: string) => {
      fetched.push(url);
      return new Response(JSON.stringify({ user: null, conversations: [], messages: [], hasMore: false }), {
        headers: { 'Content-Type': 'application/json' },
      });
    }) as typeof fetch;
    (globalThis as { document?: unknown }).document = { cookie: signedIn };
  });
  afterEach(() => {
    globalThis.fetch = realFetch;
    delete (globalThis as { document?: unknown }).document;
    globalThis.__parleyEarly = undefined;
  });

  it('are the very paths index.html asks for early on /c/<id>', async () => {
    const client = new QueryClient();
    await Promise.allSettled([
      client.fetchQuery(meQuery()),
      client.fetchQuery(conversationsQuery()),
      client.fetchQuery(conversationQuery(7)),
      client.fetchQuery(messagesQuery(7)),
    ]);
    expect(fetched.sort()).toEqual(earlyRequests('/c/7', signedIn).sort());
  });

  it('take an early answer once, and none after the start', async () => {
    const early = new Response(JSON.stringify({ conversations: [] }), { status: 200 });
    globalThis.__parleyEarly = { '/conversations': Promise.resolve(early) };
    await api('/conversations');
    expect(fetched).toEqual([]);
    await api('/conversations');
    expect(fetched).toEqual(['/api/conversations']);

    globalThis.__parleyEarly = { '/auth/me': Promise.resolve(new Response('{}')) };
    dropEarlyResponses();
    await api('/auth/me');
    expect(fetched).toEqual(['/api/conversations', '/api/auth/me']);
  });
});
