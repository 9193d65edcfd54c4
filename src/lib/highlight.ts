/** Marks where search words match, as the server's search does: case-insensitive, at the start of a word. */
export interface Piece {
  text: string;
  match: boolean;
}

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The words of a search box (as the server splits them). */
export const searchWords = (q: string | null): string[] => (q ? q.split(/\s+/).filter((w) => w !== '') : []);

export function highlight(text: string, words: readonly string[]): Piece[] {
  if (words.length === 0 || text === '') return [{ text, match: false }];
  // Longest first, so "refund" wins over "re" where both start the same word.
  const alternatives = [...words].sort((a, b) => b.length - a.length).map(escapeRe);
  const re = new RegExp(`(?<![\\p{L}\\p{N}])(?:${alternatives.join('|')})`, 'giu');
  const pieces: Piece[] = [];
  let at = 0;
  for (const m of text.matchAll(re)) {
    if (m.index > at) pieces.push({ text: text.slice(at, m.index), match: false });
    pieces.push({ text: m[0], match: true });
    at = m.index + m[0].length;
  }
  if (at < text.length) pieces.push({ text: text.slice(at), match: false });
  return pieces;
}
