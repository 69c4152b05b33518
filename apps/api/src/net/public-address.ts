import ipaddr from 'ipaddr.js';

/**
 * True only for a global unicast address: not loopback, private, link-local (the cloud metadata
 * service at 169.254.169.254), carrier-grade NAT, multicast, broadcast, reserved or unspecified.
 * An IPv4-mapped IPv6 address (`::ffff:127.0.0.1`) is judged as the IPv4 address it carries; the
 * IPv6 ranges that embed an IPv4 address by translation (NAT64, 6to4, Teredo) are refused outright,
 * since the IPv4 address inside could be anything.
 */
export function isPublicUnicast(address: string): boolean {
  if (!ipaddr.isValid(address)) return false;
  let ip = ipaddr.parse(address);
  if (ip instanceof ipaddr.IPv6 && ip.isIPv4MappedAddress()) ip = ip.toIPv4Address();
  return ip.range() === 'unicast';
}

/**
 * `LINK_PREVIEW_ALLOW` / `PUSH_ENDPOINT_ALLOW`: `host:port,…`, for tests only. A URL is listed when its
 * host and port, as written (default port filled in), are; listed URLs skip the address rule.
 */
export function parseAllowList(value: string | undefined): ReadonlySet<string> {
  return new Set(
    (value ?? '')
      .split(',')
      .map((entry) => entry.trim().toLowerCase())
      .filter(Boolean),
  );
}

export function isAllowListed(allow: ReadonlySet<string>, url: URL): boolean {
  if (allow.size === 0) return false;
  const port = url.port || (url.protocol === 'https:' ? '443' : url.protocol === 'http:' ? '80' : '');
  return allow.has(`${url.hostname.toLowerCase()}:${port}`);
}
