/**
 * Destination policy for webhooks: which IP addresses a press must not reach unless the operator sets
 * WEBHOOK_ALLOW_PRIVATE. The caller applies it to the address it actually connects to, so a hostname
 * that resolves to something harmless at save time and to 127.0.0.1 at press time is still refused.
 */
import { isIP } from 'node:net';

type Rule = readonly [cidr: string, reason: string];

// Order matters: the first matching rule names the reason, so single hosts precede their ranges
// (169.254.169.254 is 'metadata', not merely 'link-local').
const V4_RULES: readonly Rule[] = [
  ['169.254.169.254/32', 'metadata'], // AWS, GCP, Azure, OpenStack, DigitalOcean…
  ['169.254.170.2/32', 'metadata'], // AWS ECS task credentials
  ['100.100.100.200/32', 'metadata'], // Alibaba Cloud
  ['255.255.255.255/32', 'broadcast'],
  ['0.0.0.0/8', 'unspecified'], // Linux delivers 0.0.0.0 to the local host
  ['10.0.0.0/8', 'private'],
  ['100.64.0.0/10', 'cgnat'],
  ['127.0.0.0/8', 'loopback'],
  ['169.254.0.0/16', 'link-local'],
  ['172.16.0.0/12', 'private'],
  ['192.0.0.0/24', 'reserved'], // IETF protocol assignments (DS-Lite, NAT64 discovery)
  ['192.0.2.0/24', 'reserved'], // documentation
  ['192.168.0.0/16', 'private'],
  ['198.18.0.0/15', 'reserved'], // benchmarking
  ['198.51.100.0/24', 'reserved'], // documentation
  ['203.0.113.0/24', 'reserved'], // documentation
  ['224.0.0.0/4', 'multicast'],
  ['240.0.0.0/4', 'reserved'],
];

/** Ranges whose low bits carry an IPv4 address that the network will end up talking to. */
const V6_EMBEDDING: readonly { cidr: string; shift: bigint }[] = [
  { cidr: '::ffff:0:0/96', shift: 0n }, // IPv4-mapped: the socket really speaks IPv4
  { cidr: '64:ff9b::/96', shift: 0n }, // NAT64 well-known prefix: the gateway forwards to the IPv4
  { cidr: '2002::/16', shift: 80n }, // 6to4: the IPv4 sits right after the prefix
];

const V6_RULES: readonly Rule[] = [
  ['::/128', 'unspecified'],
  ['::1/128', 'loopback'],
  ['fd00:ec2::254/128', 'metadata'], // AWS IMDS over IPv6
  ['::/96', 'reserved'], // deprecated IPv4-compatible form; nothing legitimate lives here
  ['64:ff9b:1::/48', 'private'], // local-use NAT64: translation is operator-defined, so assume the worst
  ['100::/64', 'reserved'], // discard-only
  ['2001:db8::/32', 'reserved'], // documentation
  ['3fff::/20', 'reserved'], // documentation (RFC 9637)
  ['fc00::/7', 'private'], // unique local
  ['fe80::/10', 'link-local'],
  ['fec0::/10', 'private'], // deprecated site-local, still routable inside some networks
  ['ff00::/8', 'multicast'],
];

interface Range {
  base: bigint;
  bits: number;
  reason: string;
}

function compile(rules: readonly Rule[], parse: (ip: string) => bigint | null): Range[] {
  return rules.map(([cidr, reason]) => {
    const [ip = '', bits = ''] = cidr.split('/');
    const base = parse(ip);
    if (base === null) throw new Error(`bad rule ${cidr}`);
    return { base, bits: Number(bits), reason };
  });
}

function parseV4(ip: string): bigint | null {
  if (isIP(ip) !== 4) return null;
  return ip.split('.').reduce((n, octet) => (n << 8n) | BigInt(Number(octet)), 0n);
}

/** isIP() vouches for the shape, so this only has to expand `::` and a trailing dotted quad. */
function parseV6(ip: string): bigint | null {
  if (isIP(ip) !== 6) return null;
  const groups = (part: string): number[] => {
    if (part === '') return [];
    const out: number[] = [];
    for (const piece of part.split(':')) {
      if (piece.includes('.')) {
        const v4 = parseV4(piece);
        if (v4 === null) return [Number.NaN];
        out.push(Number(v4 >> 16n), Number(v4 & 0xffffn));
      } else {
        out.push(Number.parseInt(piece, 16));
      }
    }
    return out;
  };
  const [head = '', tail] = ip.split('::');
  const left = groups(head);
  const right = tail === undefined ? [] : groups(tail);
  const missing = 8 - left.length - right.length;
  if (missing < 0 || (tail === undefined && missing !== 0)) return null;
  const all = [...left, ...new Array<number>(missing).fill(0), ...right];
  if (all.some((g) => !Number.isInteger(g) || g < 0 || g > 0xffff)) return null;
  return all.reduce((n, g) => (n << 16n) | BigInt(g), 0n);
}

const V4 = compile(V4_RULES, parseV4);
const V6 = compile(V6_RULES, parseV6);
const EMBEDDING = V6_EMBEDDING.map(({ cidr, shift }) => ({ ...compile([[cidr, '']], parseV6)[0]!, shift }));

function inRange(n: bigint, width: number, range: Range): boolean {
  const drop = BigInt(width - range.bits);
  return n >> drop === range.base >> drop;
}

function judgeV4(n: bigint): string | null {
  return V4.find((r) => inRange(n, 32, r))?.reason ?? null;
}

/** Strips what URLs and resolvers wrap around an address: brackets and a zone id (`fe80::1%eth0`). */
function normalize(ip: string): string {
  let s = ip.trim().toLowerCase();
  if (s.startsWith('[') && s.endsWith(']')) s = s.slice(1, -1);
  const zone = s.indexOf('%');
  return zone === -1 ? s : s.slice(0, zone);
}

/**
 * Why a webhook must not call `ip` by default, or null when it may. Anything that is not an IP address
 * is refused as 'invalid': this sits on a security boundary, so an unparsed input fails closed.
 */
export function forbiddenReason(ip: string): string | null {
  const s = normalize(ip);
  const v4 = parseV4(s);
  if (v4 !== null) return judgeV4(v4);
  const v6 = parseV6(s);
  if (v6 === null) return 'invalid';
  for (const e of EMBEDDING) {
    if (inRange(v6, 128, e)) return judgeV4((v6 >> e.shift) & 0xffffffffn);
  }
  return V6.find((r) => inRange(v6, 128, r))?.reason ?? null;
}
