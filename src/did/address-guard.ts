// Decides whether an IP address is safe to fetch from (public unicast only), so did:web cannot reach internal hosts.
import ipaddr from 'ipaddr.js';

/** The IPv4 address in bytes `at`…`at+3` of an IPv6 address, optionally XOR-ed (Teredo obfuscates its client). */
function ipv4At(bytes: number[], at: number, xor = 0): ipaddr.IPv4 {
  return new ipaddr.IPv4(bytes.slice(at, at + 4).map((b) => b ^ xor));
}

/**
 * The IPv4 addresses an IPv6 address carries, so the guard judges where a packet really goes: IPv4-mapped
 * (::ffff:0:0/96), SIIT (::ffff:0:0:0/96), NAT64 (64:ff9b::/96), 6to4 (2002::/16) and Teredo (2001::/32, server and
 * de-obfuscated client). null: a form that is never acceptable (IPv4-compatible ::/96, deprecated since RFC 4291;
 * local-use NAT64 64:ff9b:1::/48, whose embedding depends on the operator's prefix length).
 */
function embeddedIpv4(address: ipaddr.IPv6): ipaddr.IPv4[] | null | undefined {
  const bytes = address.toByteArray();
  const parts = address.parts;
  const zeros = (n: number): boolean => parts.slice(0, n).every((p) => p === 0);
  if (address.isIPv4MappedAddress()) return [address.toIPv4Address()];
  if (zeros(4) && parts[4] === 0xffff && parts[5] === 0) return [ipv4At(bytes, 12)];
  if (zeros(6)) return null; // ::a9fe:a9fe and friends (:: and ::1 are also refused here)
  if (parts[0] === 0x64 && parts[1] === 0xff9b) return parts.slice(2, 6).every((p) => p === 0) ? [ipv4At(bytes, 12)] : null;
  if (parts[0] === 0x2002) return [ipv4At(bytes, 2)];
  if (parts[0] === 0x2001 && parts[1] === 0) return [ipv4At(bytes, 4), ipv4At(bytes, 12, 0xff)];
  return undefined;
}

/** True when `address` is public unicast; false for loopback, private, link-local, unique-local, multicast, reserved. */
export function isPublicAddress(address: string): boolean {
  if (!ipaddr.isValid(address)) return false;
  const parsed = ipaddr.parse(address);
  if (parsed.kind() === 'ipv4') return parsed.range() === 'unicast';
  const carried = embeddedIpv4(parsed as ipaddr.IPv6);
  if (carried === null) return false;
  // An IPv6 form that carries IPv4 is as public as every IPv4 address it carries (::ffff:10.0.0.1 is 10.0.0.1).
  if (carried !== undefined) return carried.every((v4) => v4.range() === 'unicast');
  return parsed.range() === 'unicast';
}
