/**
 * The few places the engines' SQL differs in meaning, not just in spelling (Kysely handles that):
 * each a function of the engine, so a shared repository states what it means once.
 */
import { type Expression, type RawBuilder, sql } from 'kysely';
import type { Engine } from './db.ts';

/**
 * A text column in byte order, for a stable tie-break: SQLite compares bytes (BINARY) unless told
 * otherwise; PostgreSQL's default collation follows the locale, so it is told "C".
 */
export const bytewise = (engine: Engine, column: string): RawBuilder<string> =>
  engine === 'postgres' ? sql<string>`${sql.ref(column)} COLLATE "C"` : sql<string>`${sql.ref(column)}`;

/**
 * An account's email compared without case, using each engine's unique index: SQLite's column is
 * COLLATE NOCASE; PostgreSQL's index is on lower(email).
 */
export const emailMatches = (engine: Engine, column: string, email: string | Expression<string>): RawBuilder<boolean> =>
  engine === 'postgres' ? sql<boolean>`lower(${sql.ref(column)}) = lower(${email})` : sql<boolean>`${sql.ref(column)} = ${email}`;
