import { describe, expect, it } from 'vitest';
import { forbiddenReason } from '../server/actions/destination.ts';

const CASES: [string, string | null][] = [
  // public: allowed
  ['8.8.8.8', null],
  ['1.1.1.1', null],
  ['93.184.216.34', null],
  ['2606:4700:4700::1111', null],
  ['2606:4700:4700:0:0:0:0:1111', null],
  ['2a00:1450:4001:80b::200e', null],
  ['100.63.255.255', null], // just below CGNAT
  ['100.128.0.0', null], // just above CGNAT
  ['172.15.255.255', null],
  ['172.32.0.0', null],
  ['11.0.0.1', null],
  ['198.20.0.1', null],
  ['223.255.255.255', null],
  // IPv4
  ['0.0.0.0', 'unspecified'],
  ['0.1.2.3', 'unspecified'],
  ['10.0.0.1', 'private'],
  ['10.255.255.255', 'private'],
  ['100.64.0.1', 'cgnat'],
  ['100.127.255.254', 'cgnat'],
  ['127.0.0.1', 'loopback'],
  ['127.255.0.9', 'loopback'],
  ['169.254.0.1', 'link-local'],
  ['169.254.169.254', 'metadata'],
  ['169.254.170.2', 'metadata'],
  ['100.100.100.200', 'metadata'],
  ['172.16.0.1', 'private'],
  ['172.31.255.255', 'private'],
  ['192.0.0.8', 'reserved'],
  ['192.0.2.10', 'reserved'],
  ['192.168.1.1', 'private'],
  ['198.18.0.1', 'reserved'],
  ['198.19.255.255', 'reserved'],
  ['224.0.0.1', 'multicast'],
  ['239.255.255.250', 'multicast'],
  ['240.0.0.1', 'reserved'],
  ['255.255.255.254', 'reserved'],
  ['255.255.255.255', 'broadcast'],
  // IPv6
  ['::', 'unspecified'],
  ['0:0:0:0:0:0:0:0', 'unspecified'],
  ['::1', 'loopback'],
  ['0:0:0:0:0:0:0:1', 'loopback'],
  ['[::1]', 'loopback'],
  ['fc00::1', 'private'],
  ['fd12:3456:789a::1', 'private'],
  ['FD00:EC2::254', 'metadata'],
  ['fd00:ec2:0:0:0:0:0:254', 'metadata'],
  ['fe80::1', 'link-local'],
  ['fe80::1%eth0', 'link-local'],
  ['[fe80::abcd%25en0]', 'link-local'],
  ['febf:ffff::1', 'link-local'],
  ['ff02::1', 'multicast'],
  ['FF05::1:3', 'multicast'],
  ['2001:db8::1', 'reserved'],
  ['2001:DB8:ffff::', 'reserved'],
  // IPv6 carrying IPv4: judged by the IPv4
  ['::ffff:127.0.0.1', 'loopback'],
  ['::FFFF:127.0.0.1', 'loopback'],
  ['::ffff:7f00:1', 'loopback'],
  ['0:0:0:0:0:ffff:7f00:0001', 'loopback'],
  ['::ffff:a9fe:a9fe', 'metadata'],
  ['::ffff:192.168.0.1', 'private'],
  ['::ffff:8.8.8.8', null],
  ['::ffff:808:808', null],
  ['64:ff9b::127.0.0.1', 'loopback'],
  ['64:ff9b::a00:1', 'private'],
  ['64:ff9b::169.254.169.254', 'metadata'],
  ['64:ff9b::8.8.8.8', null],
  ['2002:7f00:1::', 'loopback'],
  ['2002:808:808::1', null],
  ['::7f00:1', 'reserved'], // deprecated IPv4-compatible form
  // not an address: fails closed
  ['', 'invalid'],
  ['localhost', 'invalid'],
  ['127.1', 'invalid'],
  ['1.2.3.256', 'invalid'],
  ['::ffff:1.2.3', 'invalid'],
];

describe('forbiddenReason', () => {
  it.each(CASES)('%s → %s', (ip, reason) => {
    expect(forbiddenReason(ip)).toBe(reason);
  });
});
