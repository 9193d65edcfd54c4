/** The PWA's pure helpers: time formatting, links in text, titles and previews, day separators. */
import { describe, expect, it } from 'vitest';
import type { EventDto } from '../contract/api.ts';
import { contentPreview, eventTitle } from '../contract/present.ts';
import { withDaySeparators } from '../src/features/feed/daySeparators.ts';
import { eventHref, feedHref } from '../src/features/feed/links.ts';
import { type KeyPress, SHORTCUTS, shortcutFor } from '../src/features/workspace/shortcuts.ts';
import { landingProject } from '../src/features/projects/landing.ts';
import { linkify } from '../src/lib/linkify.ts';
import { dayLabel, relativeTime } from '../src/lib/time.ts';

const T = Date.UTC(2026, 10, 28, 12, 0, 0);

describe('relativeTime', () => {
  it('says "just now" for the first 45 seconds, then minutes, hours and days', () => {
    expect(relativeTime(T, T + 10_000)).toBe('just now');
    expect(relativeTime(T, T + 3 * 60_000)).toBe('3 min. ago');
    expect(relativeTime(T, T + 59 * 60_000)).toBe('59 min. ago');
    expect(relativeTime(T, T + 2 * 3_600_000 + 5 * 60_000)).toBe('2 hr. ago');
    expect(relativeTime(T, T + 26 * 3_600_000)).toBe('yesterday');
    expect(relativeTime(T, T + 3 * 86_400_000)).toBe('3 days ago');
  });

  it('says "just now" for a time slightly ahead of the clock (clocks disagree)', () => {
    expect(relativeTime(T + 20_000, T)).toBe('just now');
  });

  it('falls back to the date after a week', () => {
    expect(relativeTime(T, T + 10 * 86_400_000)).toMatch(/2026/);
  });
});

describe('dayLabel', () => {
  it('names today and yesterday, and dates before that', () => {
    const noon = new Date(2026, 10, 28, 12).getTime();
    expect(dayLabel(noon - 3_600_000, noon)).toBe('Today');
    expect(dayLabel(new Date(2026, 10, 27, 23, 59).getTime(), noon)).toBe('Yesterday');
    expect(dayLabel(new Date(2026, 10, 20, 9).getTime(), noon)).not.toMatch(/Today|Yesterday/);
    expect(dayLabel(new Date(2025, 0, 2).getTime(), noon)).toMatch(/2025/);
  });
});

describe('linkify', () => {
  it('turns http(s) URLs into links and keeps the rest as text', () => {
    expect(linkify('see https://example.com/a?b=1, then go')).toEqual([
      { kind: 'text', text: 'see ' },
      { kind: 'link', text: 'https://example.com/a?b=1', href: 'https://example.com/a?b=1' },
      { kind: 'text', text: ', then go' },
    ]);
  });

  it('never links other schemes', () => {
    const parts = linkify('javascript:alert(1) data:text/html,x ftp://host/file');
    expect(parts.every((p) => p.kind === 'text')).toBe(true);
  });

  it('drops trailing punctuation but keeps a closing parenthesis that belongs to the URL', () => {
    expect(linkify('(https://en.wikipedia.org/wiki/Foo_(bar)).').find((p) => p.kind === 'link')?.text).toBe(
      'https://en.wikipedia.org/wiki/Foo_(bar)',
    );
    expect(linkify('at http://a.io.').find((p) => p.kind === 'link')?.text).toBe('http://a.io');
  });
});

describe('eventTitle and contentPreview', () => {
  const W = { image: 'Image', untitled: 'Untitled event' };
  const base = { name: null, type: 'text', content: null } as Pick<EventDto, 'name' | 'type' | 'content'>;
  it('uses the name when there is one', () => {
    expect(eventTitle({ ...base, name: 'Payment failed' }, W)).toBe('Payment failed');
  });
  it('makes a title from the content when the name is missing', () => {
    expect(eventTitle({ ...base, content: 'disk  almost\nfull' }, W)).toBe('disk almost full');
    expect(eventTitle({ ...base, type: 'rows', content: [{ label: 'amount', type: 'text', content: '42' }] }, W)).toBe('amount: 42');
    expect(eventTitle(base, W)).toBe('Untitled event');
    expect(eventTitle({ ...base, type: 'image', content: 'https://example.com/a.png' }, { image: 'Bild', untitled: 'Ohne Titel' })).toBe('Bild');
  });
  it('truncates long previews with an ellipsis', () => {
    const preview = contentPreview({ type: 'text', content: 'x'.repeat(500) }, 20, W);
    expect(preview).toHaveLength(20);
    expect(preview.endsWith('…')).toBe(true);
  });
});

describe('withDaySeparators', () => {
  it('puts one separator before the first event of each local day, newest first', () => {
    const at = (d: number, h: number) => ({ id: `${d}-${h}`, createdAt: new Date(2026, 10, d, h).toISOString() }) as EventDto;
    const rows = withDaySeparators([at(28, 15), at(28, 9), at(27, 22), at(25, 8)]);
    expect(rows.map((r) => r.kind)).toEqual(['day', 'event', 'event', 'day', 'event', 'day', 'event']);
    expect(rows.filter((r) => r.kind === 'event').map((r) => r.key)).toEqual(['28-15', '28-9', '27-22', '25-8']);
  });

  it('draws "new since you last looked" once, between the newer events and the older ones, and only when both are there', () => {
    const at = (d: number, h: number) => ({ id: `${d}-${h}`, createdAt: new Date(2026, 10, d, h).toISOString() }) as EventDto;
    const events = [at(28, 15), at(28, 9), at(27, 22), at(25, 8)];
    const kinds = (looked: number | null) => withDaySeparators(events, looked).map((r) => (r.kind === 'event' ? r.key : r.kind));
    expect(kinds(new Date(2026, 10, 28, 10).getTime())).toEqual(['day', '28-15', 'seen', '28-9', 'day', '27-22', 'day', '25-8']);
    // The divider comes before the day heading of the first older event.
    expect(kinds(new Date(2026, 10, 28, 8).getTime())).toEqual(['day', '28-15', '28-9', 'seen', 'day', '27-22', 'day', '25-8']);
    // An event at the very moment of the last look was seen.
    expect(kinds(Date.parse(events[0]!.createdAt))).not.toContain('seen');
    expect(kinds(null)).not.toContain('seen');
    expect(kinds(new Date(2026, 10, 20).getTime())).not.toContain('seen');
    expect(kinds(new Date(2026, 10, 29).getTime())).not.toContain('seen');
  });
});

describe('keyboard shortcuts', () => {
  const press = (key: string, more: Partial<KeyPress> = {}): KeyPress => ({ key, ctrlKey: false, metaKey: false, altKey: false, inField: false, inDialog: false, ...more });
  it('maps j, k, Enter, /, Esc and ? — never while typing, in a dialog or with a modifier', () => {
    expect(['j', 'k', 'Enter', '/', 'Escape', '?', 'a', 'e', 'x'].map((k) => shortcutFor(press(k)))).toEqual(['next', 'previous', 'open', 'search', 'close', 'help', 'acknowledge', 'handled', null]);
    expect(shortcutFor(press('a', { inField: true }))).toBeNull();
    expect(shortcutFor(press('e', { inField: true }))).toBeNull();
    // Two keys: g then p; and ⌘K / Ctrl+K, from a field too.
    expect(shortcutFor(press('p'), 'g')).toBe('project');
    expect(shortcutFor(press('p'), 'x')).toBeNull();
    expect(shortcutFor(press('p'))).toBeNull();
    expect(shortcutFor(press('k', { metaKey: true, inField: true }))).toBe('project');
    expect(shortcutFor(press('K', { ctrlKey: true }))).toBe('project');
    expect(shortcutFor(press('k', { metaKey: true, inDialog: true }))).toBeNull();
    expect(shortcutFor(press('j', { inField: true }))).toBeNull();
    expect(shortcutFor(press('/', { inField: true }))).toBeNull();
    expect(shortcutFor(press('Escape', { inDialog: true }))).toBeNull();
    expect(shortcutFor(press('j', { metaKey: true }))).toBeNull();
    expect(SHORTCUTS.map((s) => s.keys)).toEqual(['j', 'k', 'Enter', '/', 'Esc', 'a', 'e', 'g p', '?']);
  });
});

describe('feed links', () => {
  it("carry the feed's filters to an event and back, and nothing else (a notification's confirm stays behind)", () => {
    const search = new URLSearchParams('q=refund&category=pay&confirm=ban&test=1&user=u%207');
    expect(eventHref('default', 'e/1', search)).toBe('/events/e%2F1?q=refund&category=pay&user=u+7&test=1');
    expect(eventHref('ops', 'e1', new URLSearchParams('confirm=x'))).toBe('/p/ops/events/e1');
    expect(feedHref('ops', search)).toBe('/p/ops?q=refund&category=pay&user=u+7&test=1');
    expect(feedHref('default', search, { user: 'u-9', q: null, category: null })).toBe('/?user=u-9&test=1');
  });
});

describe('where the app opens (CONTRACT §15)', () => {
  const list = (...slugs: string[]) => slugs.map((slug) => ({ slug }));
  it('the last-used project when the person is still in it, else default when they are in it, else their first', () => {
    expect(landingProject(list('default', 'ops'), 'ops')).toBe('ops');
    expect(landingProject(list('default', 'ops'), 'default')).toBeNull();
    expect(landingProject(list('default', 'ops'), null)).toBeNull();
    // Invited to one project only: never the "not a member of default" page.
    expect(landingProject(list('ops'), null)).toBe('ops');
    expect(landingProject(list('ops', 'billing'), 'gone')).toBe('ops');
    expect(landingProject(list('ops', 'billing'), 'billing')).toBe('billing');
    expect(landingProject(list(), 'ops')).toBeNull();
  });
});
