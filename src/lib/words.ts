/** Words shared by the PWA's texts: counts, lists, and a translated sentence cut at its arguments. */
import { t, type Values } from '../i18n/i18n.ts';
import type { MessageId } from '../i18n/ids.ts';
import { listFormat, numberFormat } from './intl.ts';

/** A message as a sentence: a capital first letter and a full stop (a server's message, shown as it is). */
export function sentence(message: string): string {
  const text = message.trim();
  if (text === '') return text;
  const capital = text[0]!.toUpperCase() + text.slice(1);
  return /[.!?…]$/.test(capital) ? capital : `${capital}.`;
}

/** A number as the language writes it ("1,204", "1.204", "1 204"). */
export const formatNumber = (n: number): string => numberFormat().format(n);

/** Items listed as the language lists them without a conjunction ("a, b, c" in English). */
export const listOf = (items: readonly string[]): string => listFormat({ type: 'unit', style: 'short' }).format(items);

/** A piece of a message: text, or the place of one of its `slots`. */
export type Piece = string | { slot: string };

const MARK = '\u2063';

/**
 * A message cut at its `slots`, in the language's own order: `"Actions expire in {time}"` →
 * `["Actions expire in ", { slot: "time" }]` — for markup on the text around an argument (only the
 * time shows, the words are read out). Elements inside a message: ../i18n/rich.tsx.
 */
export function messagePieces(id: MessageId, values: Values, slots: readonly string[]): Piece[] {
  const marked: Values = { ...values };
  slots.forEach((slot, i) => {
    marked[slot] = `${MARK}${i}${MARK}`;
  });
  const pieces: Piece[] = [];
  t(id, marked)
    .split(new RegExp(`${MARK}(\\d+)${MARK}`))
    .forEach((part, i) => {
      if (i % 2 === 1) pieces.push({ slot: slots[Number(part)]! });
      else if (part !== '') pieces.push(part);
    });
  return pieces;
}
