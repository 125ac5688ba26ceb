/**
 * Which addresses a webhook may not reach (SSRF protection, docs/webhooks.md): loopback, link-local, private,
 * carrier-grade NAT, unspecified, multicast/reserved and cloud metadata. Node's own net.BlockList does the matching.
 * Pure: no DNS here (utils/webhook-send.ts resolves, then asks this).
 */
import { BlockList, isIP } from 'net';

const blocked = new BlockList();
const v4: [string, number][] = [
  ['0.0.0.0', 8], // unspecified / "this network"
  ['10.0.0.0', 8], // private
  ['100.64.0.0', 10], // carrier-grade NAT
  ['127.0.0.0', 8], // loopback
  ['169.254.0.0', 16], // link-local (169.254.169.254: cloud metadata)
  ['172.16.0.0', 12], // private
  ['192.0.0.0', 24], // IETF protocol assignments
  ['192.168.0.0', 16], // private
  ['198.18.0.0', 15], // benchmarking
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, broadcast
];
const v6: [string, number][] = [
  ['::', 128], // unspecified
  ['::1', 128], // loopback
  ['fc00::', 7], // unique local (fd00:ec2::254: AWS metadata)
  ['fe80::', 10], // link-local
  ['ff00::', 8], // multicast
  ['64:ff9b::', 96], // NAT64 (reaches IPv4 behind it)
];
for (const [net, prefix] of v4) blocked.addSubnet(net, prefix, 'ipv4');
for (const [net, prefix] of v6) blocked.addSubnet(net, prefix, 'ipv6');

/** An IPv4 address written as IPv6 (::ffff:127.0.0.1) is judged as the IPv4 address it is. */
const unmapped = (address: string) => {
  const m = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  return m ? m[1] : address;
};

/** True for an IP literal webhooks must not reach; false for public addresses and for anything not an IP. */
export const isInternalAddress = (address: string): boolean => {
  const a = unmapped(address.replace(/^\[|\]$/g, ''));
  const family = isIP(a);
  if (family === 4) return blocked.check(a, 'ipv4');
  if (family === 6) return blocked.check(a, 'ipv6');
  return false;
};

/** The host of a URL when it is an IP literal (brackets removed), else null. */
export const literalIp = (hostname: string): string | null => {
  const h = hostname.replace(/^\[|\]$/g, '');
  return isIP(h) ? h : null;
};
