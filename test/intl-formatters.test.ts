/** The app's Intl formatters are made once per language and options, and made anew when the app comes back to the screen. */
import { afterEach, describe, expect, it, vi } from 'vitest';

afterEach(() => {
  vi.unstubAllGlobals();
  vi.resetModules();
});

describe('cached Intl formatters', () => {
  it('reuses one formatter per options, and makes new ones after the page was hidden and shown (a new time zone)', async () => {
    const page = new EventTarget();
    vi.stubGlobal('document', page);
    const { dateFormat, numberFormat } = await import('../src/lib/intl.ts');
    const time = dateFormat({ timeStyle: 'short' });
    expect(dateFormat({ timeStyle: 'short' })).toBe(time);
    expect(dateFormat({ dateStyle: 'short' })).not.toBe(time);
    const number = numberFormat();
    page.dispatchEvent(new Event('visibilitychange'));
    expect(dateFormat({ timeStyle: 'short' })).not.toBe(time);
    expect(numberFormat()).not.toBe(number);
  });
});
