import https from 'node:https';
import net, { type AddressInfo } from 'node:net';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUrlFetcher, PreviewFetchError } from '../src/link-previews/fetch-url.ts';
import { BlockedAddressError, createPublicHttpsAgent } from '../src/net/guarded-connect.ts';
import { isAllowListed, isPublicUnicast, parseAllowList } from '../src/net/public-address.ts';
import { createPublicDispatcher } from '../src/net/public-dispatcher.ts';

describe('which addresses a fetch made for a user may reach', () => {
  it.each([
    ['8.8.8.8', true],
    ['1.1.1.1', true],
    ['2001:4860:4860::8888', true],
    ['::ffff:8.8.8.8', true],
    ['127.0.0.1', false],
    ['127.1.2.3', false],
    ['10.0.0.1', false],
    ['172.16.5.4', false],
    ['192.168.1.1', false],
    ['169.254.169.254', false],
    ['100.64.0.1', false],
    ['0.0.0.0', false],
    ['255.255.255.255', false],
    ['224.0.0.1', false],
    ['::1', false],
    ['::', false],
    ['fe80::1', false],
    ['fc00::1', false],
    ['ff02::1', false],
    ['::ffff:127.0.0.1', false],
    ['::ffff:169.254.169.254', false],
    ['64:ff9b::7f00:1', false],
    ['2002:7f00:1::', false],
    ['not an address', false],
  ])('%s → %s', (address, expected) => {
    expect(isPublicUnicast(address)).toBe(expected);
  });

  it('reads the tests-only allow list as host:port, default ports filled in', () => {
    const allow = parseAllowList(' 127.0.0.1:8080, Example.test:443 ,');
    expect(isAllowListed(allow, new URL('http://127.0.0.1:8080/a'))).toBe(true);
    expect(isAllowListed(allow, new URL('https://example.test/x'))).toBe(true);
    expect(isAllowListed(allow, new URL('http://example.test/x'))).toBe(false);
    expect(isAllowListed(allow, new URL('http://127.0.0.1:8081/'))).toBe(false);
    expect(isAllowListed(parseAllowList(undefined), new URL('http://127.0.0.1:8080/'))).toBe(false);
  });
});

// A server on this machine's loopback, counting the connections that reach it: a refused fetch must
// not even open a TCP connection.
let server: net.Server;
let port: number;
let connections = 0;
const open = new Set<net.Socket>();
beforeAll(async () => {
  server = net.createServer((socket) => {
    connections++;
    open.add(socket);
    socket.end('HTTP/1.1 200 OK\r\ncontent-length: 2\r\nconnection: close\r\n\r\nok');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => {
  for (const socket of open) socket.destroy();
  return new Promise<void>((resolve) => server.close(() => resolve()));
});

async function refusal(attempt: () => Promise<unknown>): Promise<unknown> {
  const before = connections;
  const error = await attempt().then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(connections).toBe(before);
  return error;
}

const blocked = (err: unknown) => {
  const chain: unknown[] = [];
  for (let e = err; e; e = (e as { cause?: unknown }).cause) chain.push(e);
  return chain.some((e) => e instanceof BlockedAddressError);
};

describe('the link-preview dispatcher', () => {
  const dispatcher = createPublicDispatcher();

  it('refuses a literal loopback address, IPv4 and IPv4-mapped IPv6, without connecting', async () => {
    expect(blocked(await refusal(() => request(`http://127.0.0.1:${port}/`, { dispatcher })))).toBe(true);
    expect(blocked(await refusal(() => request(`http://[::ffff:127.0.0.1]:${port}/`, { dispatcher })))).toBe(true);
    expect(blocked(await refusal(() => request(`http://[::1]:${port}/`, { dispatcher })))).toBe(true);
  });

  it('refuses a name that resolves to loopback, on the address it would connect to', async () => {
    expect(blocked(await refusal(() => request(`http://localhost:${port}/`, { dispatcher })))).toBe(true);
  });

  it('lets an allow-listed host through (tests only)', async () => {
    const allowing = createPublicDispatcher({ isAllowed: (host, p) => host === '127.0.0.1' && p === String(port) });
    const res = await request(`http://127.0.0.1:${port}/`, { dispatcher: allowing });
    expect(await res.body.text()).toBe('ok');
    await allowing.close();
  });
});

describe('the link-preview fetcher', () => {
  // Shutdown closes it while a preview may be loading undici (its first fetch): nothing connects after that.
  it('once closed, even while its first fetch loads undici, refuses without connecting', async () => {
    const fetcher = createUrlFetcher(parseAllowList(`127.0.0.1:${port}`));
    const first = refusal(() => fetcher.page(`http://127.0.0.1:${port}/`));
    await fetcher.close();
    expect(await first).toBeInstanceOf(PreviewFetchError);
    expect(await refusal(() => fetcher.page(`http://127.0.0.1:${port}/`))).toBeInstanceOf(PreviewFetchError);
  });
});

describe('the push agent', () => {
  const attempt = (agent: https.Agent, host: string) =>
    new Promise((resolve, reject) => {
      const req = https.request({ host, port, path: '/', agent, method: 'POST' }, resolve);
      req.on('error', reject);
      req.end();
    });

  it('refuses loopback by literal address and by name, without connecting', async () => {
    const agent = createPublicHttpsAgent();
    expect(blocked(await refusal(() => attempt(agent, '127.0.0.1')))).toBe(true);
    expect(blocked(await refusal(() => attempt(agent, '::ffff:127.0.0.1')))).toBe(true);
    expect(blocked(await refusal(() => attempt(agent, 'localhost')))).toBe(true);
    agent.destroy();
  });
});
