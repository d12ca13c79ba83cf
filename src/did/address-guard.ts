// Decides whether an IP address is safe to fetch from (public unicast only), so did:web cannot reach internal hosts.
import ipaddr from 'ipaddr.js';

/** True when `address` is public unicast; false for loopback, private, link-local, unique-local, multicast, reserved. */
export function isPublicAddress(address: string): boolean {
  if (!ipaddr.isValid(address)) return false;
  let parsed = ipaddr.parse(address);
  // ::ffff:10.0.0.1 must be judged as the IPv4 address it carries.
  if (parsed.kind() === 'ipv6' && (parsed as ipaddr.IPv6).isIPv4MappedAddress()) parsed = (parsed as ipaddr.IPv6).toIPv4Address();
  return parsed.range() === 'unicast';
}
