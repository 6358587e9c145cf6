/**
 * Which hosts are not on the internet: the one check of every address an organizer gives certforge
 * to call (outbound webhooks, outbound/endpoints.ts; connector servers, connectors/http-client.ts),
 * so that no organizer can make the functions call their own network (SSRF). Hosts are checked as
 * written: a public name whose DNS points at a private address needs an egress proxy to refuse.
 */
import { BlockList, isIP } from 'node:net';

/**
 * Addresses certforge never calls: loopback, private, link-local (cloud metadata), shared, reserved,
 * multicast. Two lists: a BlockList checks IPv4 addresses against IPv6 rules too (as IPv4-mapped),
 * so the IPv6 list's `::ffff:0:0/96` would refuse every IPv4 address.
 */
function blockList(family: 'ipv4' | 'ipv6', subnets: Array<[string, number]>): BlockList {
  const list = new BlockList();
  for (const [net, prefix] of subnets) list.addSubnet(net, prefix, family);
  return list;
}

const PRIVATE_IPV4 = blockList('ipv4', [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
]);

const PRIVATE_IPV6 = blockList('ipv6', [
  ['::', 128],
  ['::1', 128],
  ['::ffff:0:0', 96], // IPv4-mapped: whatever IPv4 address it maps
  ['64:ff9b::', 96], // NAT64: likewise
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
]);

/** Host names that name the machine or an internal network. */
function isInternalName(host: string): boolean {
  return (
    host === 'localhost' ||
    host.endsWith('.localhost') ||
    host.endsWith('.local') ||
    host.endsWith('.internal') ||
    host.endsWith('.home.arpa') ||
    !host.includes('.')
  );
}

/** A host (as the URL parser writes it: IPv4 normalized, IPv6 in brackets) that is not on the internet. */
export function isPrivateHost(host: string): boolean {
  const bare = host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
  const family = isIP(bare);
  if (family === 4) return PRIVATE_IPV4.check(bare, 'ipv4');
  if (family === 6) return PRIVATE_IPV6.check(bare, 'ipv6');
  return isInternalName(bare);
}
