import type { FeedCursor } from '../store/eventRows.ts';

export function encodeCursor(c: FeedCursor): string {
  return Buffer.from(`${c.createdAt}.${c.seq}`).toString('base64url');
}

export function decodeCursor(raw: string): FeedCursor | null {
  const m = /^(\d{1,15})\.(\d{1,15})$/.exec(Buffer.from(raw, 'base64url').toString('utf8'));
  return m ? { createdAt: Number(m[1]), seq: Number(m[2]) } : null;
}
