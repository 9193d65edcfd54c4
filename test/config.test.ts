/** Configuration from the environment: the log format follows the terminal unless told, and bad values fail fast. */
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../server/config.ts';

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
