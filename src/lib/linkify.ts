/** Splits text into plain parts and http(s) links. Nothing else ever becomes a link. */
export type TextPart = { kind: 'text'; text: string } | { kind: 'link'; text: string; href: string };

const URL_RE = /\bhttps?:\/\/[^\s<>"'`]+/gi;
const TRAILING = /[.,;:!?)\]}]+$/;

export function linkify(text: string): TextPart[] {
  const parts: TextPart[] = [];
  let last = 0;
  for (const match of text.matchAll(URL_RE)) {
    let url = match[0];
    const trailing = TRAILING.exec(url)?.[0] ?? '';
    // Keep a closing parenthesis that belongs to the URL, as in Wikipedia links.
    const cut = trailing.startsWith(')') && url.includes('(') ? trailing.slice(1) : trailing;
    if (cut) url = url.slice(0, -cut.length);
    const start = match.index;
    if (start > last) parts.push({ kind: 'text', text: text.slice(last, start) });
    try {
      const href = new URL(url).href;
      parts.push({ kind: 'link', text: url, href });
    } catch {
      parts.push({ kind: 'text', text: url });
    }
    last = start + url.length;
  }
  if (last < text.length) parts.push({ kind: 'text', text: text.slice(last) });
  return parts;
}
