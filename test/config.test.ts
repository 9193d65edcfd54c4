/** Configuration from the environment: the log format follows the terminal unless told, and bad values fail fast. */
import Fastify, { type FastifyServerOptions } from 'fastify';
import { describe, expect, it } from 'vitest';
import { ConfigError, fastifyTrustProxy, KNOWN_VARIABLES, loadConfig, type TrustProxy, unknownVariableWarnings } from '../server/config.ts';

describe('LOG_FORMAT', () => {
  it('is pretty for a terminal and JSON for a file or a collector when unset', () => {
    expect(loadConfig({}, true).logFormat).toBe('pretty');
    expect(loadConfig({}, false).logFormat).toBe('json');
  });
  it('is what it says when set, whatever the output', () => {
    expect(loadConfig({ LOG_FORMAT: 'json' }, true).logFormat).toBe('json');
    expect(loadConfig({ LOG_FORMAT: 'PRETTY' }, false).logFormat).toBe('pretty');
  });
  it('refuses anything else, naming the variable', () => {
    expect(() => loadConfig({ LOG_FORMAT: 'xml' }, false)).toThrow(ConfigError);
    expect(() => loadConfig({ LOG_FORMAT: 'xml' }, false)).toThrow(/LOG_FORMAT must be json or pretty/);
  });
});

describe('values that used to end in a stack trace', () => {
  it('LOG_LEVEL, HOST, SHUTDOWN_TIMEOUT_MS and METRICS_TOKEN are checked, naming the variable', () => {
    expect(() => loadConfig({ LOG_LEVEL: 'loud' })).toThrow(/^LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent/);
    expect(loadConfig({ LOG_LEVEL: 'DEBUG' }).logLevel).toBe('debug');
    expect(() => loadConfig({ HOST: 'not a host' })).toThrow(/^HOST must be an address or host name/);
    for (const host of ['0.0.0.0', '::', '127.0.0.1', 'switchboard.internal']) expect(loadConfig({ HOST: host }).host).toBe(host);
    expect(loadConfig({}).shutdownTimeoutMs).toBe(8000);
    expect(() => loadConfig({ SHUTDOWN_TIMEOUT_MS: 'soon' })).toThrow(/^SHUTDOWN_TIMEOUT_MS must be a whole number/);
    expect(loadConfig({}).metricsToken).toBeNull();
    expect(() => loadConfig({ METRICS_TOKEN: 'short' })).toThrow(/^METRICS_TOKEN must be at least 16 characters/);
    // A secret is never echoed back in the message.
    expect(() => loadConfig({ METRICS_TOKEN: 'short' })).not.toThrow(/short/);
  });
});

describe('variables that look like ours but are not', () => {
  it('warn with the one probably meant; the machine’s own variables are left alone', () => {
    const warnings = unknownVariableWarnings({
      WEBHOOK_TIMEOUT: '5000',
      LOGLEVEL: 'debug',
      PUSH_HOSTS: 'a',
      HOME: '/root',
      PATH: '/bin',
      HOSTNAME: 'vm',
      PORT: '8080',
      NODE_ENV: 'production',
    });
    expect(warnings).toEqual([
      'WEBHOOK_TIMEOUT is not a setting Switchboard knows: did you mean WEBHOOK_TIMEOUT_MS?',
      'LOGLEVEL is not a setting Switchboard knows: did you mean LOG_LEVEL?',
      'PUSH_HOSTS is not a setting Switchboard knows',
    ]);
    // Every variable the server documents is known, so none of them ever warns.
    expect(unknownVariableWarnings(Object.fromEntries(KNOWN_VARIABLES.map((name) => [name, 'x'])))).toEqual([]);
  });
});

describe('TRUST_PROXY', () => {
  /** The address Fastify sees for a request from `peer` carrying `forwardedFor`, under the setting as app.ts passes it. */
  async function clientAddress(trustProxy: TrustProxy, peer: string, forwardedFor: string): Promise<string> {
    return fastifyAddress(fastifyTrustProxy(trustProxy), peer, forwardedFor);
  }
  /** The same for any value given to Fastify; its types no longer take a number, but at run time it does. */
  async function fastifyAddress(trustProxy: ReturnType<typeof fastifyTrustProxy> | number, peer: string, forwardedFor: string): Promise<string> {
    const app = Fastify({ trustProxy: trustProxy as FastifyServerOptions['trustProxy'] });
    app.get('/', async (request) => ({ ip: request.ip }));
    try {
      const res = await app.inject({ url: '/', remoteAddress: peer, headers: { 'x-forwarded-for': forwardedFor } });
      return (res.json() as { ip: string }).ip;
    } finally {
      await app.close();
    }
  }

  it('is off when unset or false: the client is whoever connects', async () => {
    for (const value of [undefined, '', 'false', 'FALSE', '0', 'no']) expect(loadConfig({ TRUST_PROXY: value }).trustProxy).toBe(false);
    expect(await clientAddress(false, '10.0.0.5', '203.0.113.9')).toBe('10.0.0.5');
  });

  it('takes a hop count: with one proxy, the address the proxy saw, not what the client wrote', async () => {
    expect(loadConfig({ TRUST_PROXY: '1' }).trustProxy).toBe(1);
    expect(loadConfig({ TRUST_PROXY: ' 2 ' }).trustProxy).toBe(2);
    // nginx with $proxy_add_x_forwarded_for appends the real peer to whatever the client sent.
    expect(await clientAddress(1, '10.0.0.5', '198.51.100.1, 203.0.113.9')).toBe('203.0.113.9');
    expect(await clientAddress(2, '10.0.0.5', '198.51.100.1, 203.0.113.9')).toBe('198.51.100.1');
    // Why the count is handed to Fastify as a function: a bare number means "trust no hop" in Fastify 5,
    // so every client would be the proxy's address.
    expect(await fastifyAddress(1, '10.0.0.5', '198.51.100.1, 203.0.113.9')).toBe('10.0.0.5');
  });

  it('takes the proxies’ addresses and CIDR ranges, and proxy-addr’s names for ranges', async () => {
    expect(loadConfig({ TRUST_PROXY: '10.0.0.5' }).trustProxy).toEqual(['10.0.0.5']);
    expect(loadConfig({ TRUST_PROXY: '10.0.0.0/8, 192.168.1.1,::1, fd00::/8' }).trustProxy).toEqual(['10.0.0.0/8', '192.168.1.1', '::1', 'fd00::/8']);
    expect(loadConfig({ TRUST_PROXY: 'loopback,LinkLocal,uniquelocal' }).trustProxy).toEqual(['loopback', 'linklocal', 'uniquelocal']);
    expect(loadConfig({ TRUST_PROXY: '10.1.2.3/32,2001:db8::/128' }).trustProxy).toEqual(['10.1.2.3/32', '2001:db8::/128']);
    // Only a listed proxy is believed: a forged entry before it is skipped, a stranger's header is ignored.
    const trusted = loadConfig({ TRUST_PROXY: '10.0.0.0/8' }).trustProxy;
    expect(await clientAddress(trusted, '10.0.0.5', '198.51.100.1, 203.0.113.9')).toBe('203.0.113.9');
    expect(await clientAddress(trusted, '203.0.113.9', '10.0.0.7')).toBe('203.0.113.9');
    expect(await clientAddress(loadConfig({ TRUST_PROXY: 'loopback' }).trustProxy, '127.0.0.1', '198.51.100.1, 203.0.113.9')).toBe('203.0.113.9');
  });

  it('refuses true: trusting every hop lets a client choose its own address', () => {
    for (const value of ['true', 'TRUE', 'yes']) {
      expect(() => loadConfig({ TRUST_PROXY: value })).toThrow(ConfigError);
      expect(() => loadConfig({ TRUST_PROXY: value })).toThrow(
        /^TRUST_PROXY must be the number of proxies in front \(1 to 100\), such as 1, or the proxies' addresses, such as 10\.0\.0\.5 .*lets any client choose its own address\)$/,
      );
    }
  });

  it('refuses garbage, out-of-range hop counts and prefix lengths, and /0 (every address), naming the bad entry', () => {
    const refused: [string, string][] = [
      ['maybe', 'maybe'],
      ['101', '101'],
      ['-1', '-1'],
      ['1.5', '1.5'],
      ['10.0.0.256', '10.0.0.256'],
      ['10.0.0.0/33', '10.0.0.0/33'],
      ['fd00::/129', 'fd00::/129'],
      ['10.0.0.0/0', '10.0.0.0/0'],
      ['::/0', '::/0'],
      ['10.0.0.0/8/8', '10.0.0.0/8/8'],
      ['10.0.0.0/abc', '10.0.0.0/abc'],
      ['10.0.0.1, proxy.internal', 'proxy.internal'],
      ['10.0.0.1,', ''],
      ['1, 10.0.0.1', '1'],
    ];
    for (const [value, named] of refused) {
      expect(() => loadConfig({ TRUST_PROXY: value }), value).toThrow(ConfigError);
      expect(() => loadConfig({ TRUST_PROXY: value }), value).toThrow(new RegExp(`^TRUST_PROXY must be .* \\(got "${named.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}"`));
    }
  });
});
