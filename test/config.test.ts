/** Configuration from the environment: the log format follows the terminal unless told, and bad values fail fast. */
import { describe, expect, it } from 'vitest';
import { ConfigError, KNOWN_VARIABLES, loadConfig, unknownVariableWarnings } from '../server/config.ts';

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
