/**
 * Which network addresses Patchbay never connects to on a spec's or an API's say-so:
 * link-local ones (169.254.0.0/16, fe80::/10) and cloud metadata services, where a machine's
 * cloud credentials can be read. Loopback and private LAN addresses stay allowed: local tools
 * are a main use. IPv4 addresses written inside IPv6 ones (::ffff:169.254.169.254, NAT64)
 * count as the IPv4 address they carry.
 */
import { isIPv4, isIPv6 } from 'node:net';

/** Why the address may not be used, or undefined when it may. Not an IP address: undefined. */
export function forbiddenAddressReason(address: string): string | undefined {
  const bare = address.replace(/^\[|\]$/g, '').replace(/%.*$/, '');
  if (isIPv4(bare)) return ipv4Reason(ipv4Octets(bare));
  if (!isIPv6(bare)) return undefined;
  const groups = ipv6Groups(bare);
  const embedded = embeddedIpv4(groups);
  if (embedded) return ipv4Reason(embedded);
  if ((groups[0]! & 0xffc0) === 0xfe80) return 'a link-local address (fe80::/10)';
  if (METADATA_IPV6.some((known) => known.every((group, index) => group === groups[index]))) return 'a cloud metadata service address';
  return undefined;
}

const METADATA_IPV4 = new Set(['100.100.100.200']);
const METADATA_IPV6 = [ipv6Groups('fd00:ec2::254')];

function ipv4Reason(octets: number[]): string | undefined {
  if (METADATA_IPV4.has(octets.join('.'))) return 'a cloud metadata service address';
  if (octets[0] === 169 && octets[1] === 254) return 'a link-local address (169.254.0.0/16), where cloud metadata services live';
  return undefined;
}

function ipv4Octets(address: string): number[] {
  return address.split('.').map(Number);
}

/** The eight 16-bit groups of an IPv6 address (already known to be valid). */
function ipv6Groups(address: string): number[] {
  let text = address.toLowerCase();
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted) {
    const [a, b, c, d] = ipv4Octets(dotted[1]!);
    text = `${text.slice(0, dotted.index)}${((a! << 8) | b!).toString(16)}:${((c! << 8) | d!).toString(16)}`;
  }
  const [head = '', tail] = text.split('::');
  const parse = (part: string) => (part === '' ? [] : part.split(':').map((group) => parseInt(group, 16)));
  const front = parse(head);
  const back = tail === undefined ? [] : parse(tail);
  return [...front, ...new Array<number>(8 - front.length - back.length).fill(0), ...back];
}

/** The IPv4 address an IPv4-mapped (::ffff:a.b.c.d), IPv4-compatible or NAT64 address carries. */
function embeddedIpv4(groups: number[]): number[] | undefined {
  const zeroUpTo = (count: number) => groups.slice(0, count).every((group) => group === 0);
  const mapped = zeroUpTo(5) && groups[5] === 0xffff;
  const compatible = zeroUpTo(6) && (groups[6] !== 0 || groups[7]! > 1);
  const nat64 = groups[0] === 0x64 && groups[1] === 0xff9b && groups.slice(2, 6).every((group) => group === 0);
  if (!mapped && !compatible && !nat64) return undefined;
  return [groups[6]! >> 8, groups[6]! & 0xff, groups[7]! >> 8, groups[7]! & 0xff];
}
