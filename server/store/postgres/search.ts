/**
 * Search on PostgreSQL with the same answers as SQLite's FTS5 (`unicode61 remove_diacritics 2`, quoted
 * prefix terms). PostgreSQL's own text parser splits differently (it keeps `jane@example.com` and URLs
 * whole, and under the C locale drops non-ASCII letters), so the words are cut here, as FTS5 cuts them,
 * and handed to PostgreSQL as ready lexemes: a `tsvector` literal with positions and one weight per
 * column (name A, body B, userId C), and a `tsquery` literal. A `simple` configuration is never asked
 * to parse anything, so the two stores cannot drift apart on tokenising.
 */

/** FTS5 unicode61's token characters: letters, numbers, private use; everything else separates. */
const TOKEN = /[\p{L}\p{N}\p{Co}]+/gu;
/** remove_diacritics 2 strips the marks of Latin letters only (Greek, Cyrillic… keep theirs). */
const LATIN_MARKS = /(\p{Script=Latin})\p{M}+/gu;

/** PostgreSQL refuses a lexeme over 2046 bytes; FTS5 has no limit. Longer words keep their first bytes. */
const MAX_LEXEME_BYTES = 2046;
const encoder = new TextEncoder();

function clipLexeme(token: string): string {
  if (token.length * 3 <= MAX_LEXEME_BYTES || encoder.encode(token).length <= MAX_LEXEME_BYTES) return token;
  let out = '';
  let bytes = 0;
  for (const ch of token) {
    const n = encoder.encode(ch).length;
    if (bytes + n > MAX_LEXEME_BYTES) break;
    out += ch;
    bytes += n;
  }
  return out;
}

/**
 * The words of a text as FTS5 indexes them: case folded, Latin diacritics removed. A word longer than
 * PostgreSQL's lexeme limit keeps its first 2046 bytes (in the index and in a query alike, so a
 * prefix search still finds it; only a search for the rest of a word that long differs from FTS5).
 */
export function searchTokens(text: string): string[] {
  const folded = text.toLowerCase().normalize('NFD').replace(LATIN_MARKS, '$1').normalize('NFC');
  return (folded.match(TOKEN) ?? []).map(clipLexeme);
}

/** A lexeme as a tsvector/tsquery literal: quoted, with quotes and backslashes escaped. */
const quote = (token: string) => `'${token.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`;

const WEIGHTS = ['A', 'B', 'C'] as const;
/** FTS5 keeps a phrase inside one column; a gap this wide between columns keeps PostgreSQL's phrases apart too. */
const COLUMN_GAP = 100;

/** The `tsvector` literal of an event's searchable columns: name, body (content's text), userId. */
export function searchVector(columns: readonly [name: string, body: string, userId: string]): string {
  const parts: string[] = [];
  let position = 0;
  columns.forEach((text, column) => {
    for (const token of searchTokens(text)) {
      position += 1;
      // tsvector positions stop at 16383; later words are still found, at the last position.
      parts.push(`${quote(token)}:${Math.min(position, 16383)}${WEIGHTS[column]}`);
    }
    position += COLUMN_GAP;
  });
  return parts.join(' ');
}

/**
 * The search box → a `tsquery` literal, as `toFtsQuery` builds FTS5's: every word must match, each as
 * a phrase of its tokens whose last one is a prefix, inside one column. A word without token
 * characters (`&`, `+++`) is left out, as FTS5 leaves out an empty phrase. Null when there is no word
 * (no search at all); false when no word has a token (FTS5 then matches nothing).
 */
export function searchQuery(search: string): string | null | false {
  const words = search.split(/[\s\0]+/).filter((w) => w !== '');
  if (words.length === 0) return null;
  const phrases: string[] = [];
  for (const word of words) {
    const tokens = searchTokens(word);
    if (tokens.length === 0) continue;
    const inColumn = (weight: string) =>
      tokens.map((t, i) => `${quote(t)}:${i === tokens.length - 1 ? '*' : ''}${weight}`).join(' <-> ');
    phrases.push(tokens.length === 1 ? `${quote(tokens[0]!)}:*` : `(${WEIGHTS.map((w) => `(${inColumn(w)})`).join(' | ')})`);
  }
  return phrases.length === 0 ? false : phrases.join(' & ');
}
