/**
 * A mark for a person that text cannot fake: two coloured shapes chosen by a hash of their account id
 * (never their name or email), so two people called "Maria" — or `owner@…` and a look-alike of it —
 * wear different marks wherever the mark shows. Its label names the account by the hash's first six
 * hex digits ("account a1b2c3").
 */
import { t } from '../../i18n/i18n.ts';

/** FNV-1a over the id's UTF-16 units, from two seeds: 64 bits, as 16 hex digits (not a secret, a tell). */
export function accountHash(id: string): string {
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ 0x5bd1e995;
  for (let i = 0; i < id.length; i++) {
    const c = id.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x01000193) ^ (b >>> 15);
  }
  const hex = (n: number) => (n >>> 0).toString(16).padStart(8, '0');
  return hex(a) + hex(b);
}

/** The six hex digits a person's mark is named by. */
export const accountCode = (id: string) => accountHash(id).slice(0, 6);

/**
 * Tile colours, six hues far apart (more would bring look-alike pairs such as emerald and teal): 700s
 * under a white shape in light mode, 300s under a near-black one in dark (both ≥ 4.5:1).
 */
const COLOURS = [
  'fill-slate-700 dark:fill-slate-300',
  'fill-sky-700 dark:fill-sky-300',
  'fill-emerald-700 dark:fill-emerald-300',
  'fill-amber-700 dark:fill-amber-300',
  'fill-rose-700 dark:fill-rose-300',
  'fill-violet-700 dark:fill-violet-300',
] as const;

/** Eight shapes that stay apart at 16 px, on a 16 × 16 tile. */
const SHAPES = [
  <circle key="circle" cx="8" cy="8" r="4.5" />,
  <rect key="square" x="4" y="4" width="8" height="8" />,
  <path key="triangle" d="M8 3 13.5 12.5h-11z" />,
  <path key="diamond" d="M8 2.5 13.5 8 8 13.5 2.5 8z" />,
  <path key="plus" d="M6.5 3h3v3.5H13v3H9.5V13h-3V9.5H3v-3h3.5z" />,
  <path key="ring" fillRule="evenodd" d="M8 3a5 5 0 1 1 0 10A5 5 0 0 1 8 3zm0 2.25a2.75 2.75 0 1 0 0 5.5 2.75 2.75 0 0 0 0-5.5z" />,
  <path key="bars" d="M3 3.5h10v3H3zm0 6h10v3H3z" />,
  <path key="cross" d="m5 2.9 3 3 3-3 2.1 2.1-3 3 3 3-2.1 2.1-3-3-3 3-2.1-2.1 3-3-3-3z" />,
] as const;

/** One of the 48 tiles (6 colours × 8 shapes). */
function Tile({ tile, x }: { tile: number; x: number }) {
  return (
    <g transform={`translate(${x} 0)`}>
      <rect width="16" height="16" rx="3" className={COLOURS[tile % COLOURS.length]} />
      <g className="fill-white dark:fill-slate-950">{SHAPES[Math.floor(tile / COLOURS.length) % SHAPES.length]}</g>
    </g>
  );
}

const TILES = COLOURS.length * SHAPES.length;

/**
 * The mark itself: 34 × 16 px, inline with text. An image with a name: screen readers hear "account
 * a1b2c3", and hovering says what the mark is for.
 */
export function PersonMark({ id, className = '' }: { id: string; className?: string }) {
  const hash = accountHash(id);
  const code = hash.slice(0, 6);
  // The tiles come from the hash's second half: 48 × 48 = 2,304 marks.
  const n = Number.parseInt(hash.slice(8), 16);
  return (
    <span
      role="img"
      aria-label={t('feed.mark.label', { code })}
      title={t('feed.mark.title', { code })}
      className={`inline-flex shrink-0 align-middle ${className}`}
    >
      <svg aria-hidden="true" width="34" height="16" viewBox="0 0 34 16" focusable="false">
        <Tile tile={n % TILES} x={0} />
        <Tile tile={Math.floor(n / TILES) % TILES} x={18} />
      </svg>
    </span>
  );
}
