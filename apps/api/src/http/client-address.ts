import { isIP } from 'node:net';

/** What `TRUST_PROXY` may say: off, a number of proxy hops, or the proxies' addresses (API.md). */
export type TrustProxy = false | number | string[];

const NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);

/**
 * Parses `TRUST_PROXY`: unset, `false` or `0` believe nobody; a number believes that many hops;
 * otherwise a comma-separated list of addresses, subnets (CIDR) and Express's names `loopback`,
 * `linklocal`, `uniquelocal`. `true` (believe anyone) is refused: any client could then choose its
 * own address. Returns an error message for anything else.
 */
export function parseTrustProxy(value: string | undefined): TrustProxy | { error: string } {
  const given = value?.trim() ?? '';
  if (given === '' || given === 'false' || given === '0') return false;
  if (/^\d+$/.test(given)) return Number(given);
  const entries = given.split(',').map((entry) => entry.trim());
  for (const entry of entries) {
    if (NAMES.has(entry)) continue;
    const [address, bits, extra] = entry.split('/');
    const family = isIP(address ?? '');
    const maxBits = family === 4 ? 32 : 128;
    const bitsOk = bits === undefined || (/^\d+$/.test(bits) && Number(bits) <= maxBits);
    if (family === 0 || !bitsOk || extra !== undefined) {
      return { error: `has "${entry}": name proxies by address, subnet, loopback, linklocal or uniquelocal` };
    }
  }
  return entries;
}

/** The eight groups of an IPv6 address, each 0…0xffff. */
function ipv6Groups(address: string): number[] {
  const [head = '', tail] = address.split('::');
  const parse = (part: string) => {
    if (part === '') return [];
    const groups: number[] = [];
    for (const piece of part.split(':')) {
      if (piece.includes('.')) {
        const [a = 0, b = 0, c = 0, d = 0] = piece.split('.').map(Number);
        groups.push((a << 8) | b, (c << 8) | d);
      } else {
        groups.push(Number.parseInt(piece, 16));
      }
    }
    return groups;
  };
  const left = parse(head);
  const right = tail === undefined ? [] : parse(tail);
  const zeros = tail === undefined ? [] : new Array(8 - left.length - right.length).fill(0);
  return [...left, ...zeros, ...right];
}

/**
 * The key a rate limit counts a client under: its IPv4 address, or its IPv6 /64, since one IPv6
 * subscriber is given a whole /64 and could otherwise pick a fresh address for every request.
 */
export function clientKey(address: string | undefined): string {
  if (!address) return 'unknown';
  const plain = address.split('%')[0]!; // a zone id names the interface, not the client
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(plain);
  if (mapped) return mapped[1]!;
  if (isIP(plain) !== 6) return plain;
  const groups = ipv6Groups(plain);
  return `${groups
    .slice(0, 4)
    .map((g) => g.toString(16))
    .join(':')}::/64`;
}
