/**
 * A text of the catalogs with elements in it (`Signed in as {email}.` with a `<strong>`, `Tap {share}
 * in Safari.`, a `<time>`, a person's mark): each element goes in as an argument, so translators move
 * it where their language puts it and no sentence is glued together from fragments. Strings and
 * numbers among `parts` are plain arguments; `values` are more of them.
 */
import { Fragment, type ReactNode } from 'react';
import { t, type Values } from './i18n.ts';
import type { MessageId } from './ids.ts';

const OPEN = '\uE000';
const CLOSE = '\uE001';
const MARKED = new RegExp(`${OPEN}(\\d+)${CLOSE}`);

export function rich(id: MessageId, parts: Record<string, ReactNode>, values: Values = {}): ReactNode {
  const plain: Values = { ...values };
  const nodes: ReactNode[] = [];
  for (const [name, part] of Object.entries(parts)) {
    if (typeof part === 'string' || typeof part === 'number') plain[name] = part;
    else {
      plain[name] = `${OPEN}${nodes.length}${CLOSE}`;
      nodes.push(part);
    }
  }
  // Odd pieces are the elements' indexes; for one message and language the pieces never move.
  // biome-ignore lint/suspicious/noArrayIndexKey: the pieces of one message, in order
  return t(id, plain).split(MARKED).map((piece, i) => <Fragment key={i}>{i % 2 === 1 ? nodes[Number(piece)] : piece}</Fragment>);
}
