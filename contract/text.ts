/** Small pure text helpers shared by the server and the PWA. */

const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

export function graphemes(value: string): string[] {
  return Array.from(segmenter.segment(value), (s) => s.segment);
}

const EMOJI = /\p{Extended_Pictographic}|\p{Regional_Indicator}/u;

export function isEmoji(grapheme: string): boolean {
  return EMOJI.test(grapheme);
}

/** True for an absolute http: or https: URL (the only schemes an event may carry). */
/** True when a URL carries a user name or password (`https://user:pass@host/`): never stored, never shown. */
export function hasUserinfo(value: string): boolean {
  // Credentials end with an @ (user:pass@host): without one there are none, and nothing to parse.
  if (!value.includes('@')) return false;
  try {
    const url = new URL(value);
    return url.username !== '' || url.password !== '';
  } catch {
    return false;
  }
}

export function isHttpUrl(value: string): boolean {
  if (!/^https?:\/\//i.test(value)) return false;
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
  } catch {
    return false;
  }
}

/** The length of `value` in UTF-8, as TextEncoder writes it (a lone surrogate as U+FFFD), without encoding it. */
export function utf8Bytes(value: string): number {
  let bytes = value.length;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c < 0x80) continue;
    if (c < 0x800) bytes += 1;
    else if (c >= 0xd800 && c < 0xdc00 && i + 1 < value.length && (value.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      bytes += 2; // a pair: 4 bytes for its 2 code units
      i++;
    } else bytes += 2;
  }
  return bytes;
}

/** `"Press me"` → `press_me`; falls back to `action` when nothing usable is left. */
export function slugifyKey(text: string, max: number): string {
  const slug = text
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, max);
  return slug === '' ? 'action' : slug;
}
