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

/**
 * `expression` (SQL text written here, never input) is one of the numbers in `ids`, bound as one
 * parameter whatever its length, so the statement's text stays the same: SQLite reads a JSON list,
 * PostgreSQL an array.
 */
export const anyOf = (engine: Engine, expression: string, ids: readonly number[]): RawBuilder<boolean> =>
  // One id: a plain comparison (SQLite would read the JSON list again for every row a scan visits).
  ids.length === 1
    ? sql<boolean>`${sql.raw(expression)} = ${ids[0]}`
    : engine === 'postgres'
    ? sql<boolean>`${sql.raw(expression)} = ANY(${[...ids]}::bigint[])`
    : sql<boolean>`${sql.raw(expression)} IN (SELECT value FROM json_each(${JSON.stringify(ids)}))`;

/**
 * A top-level member of a JSON text column, as text: SQLite's json_extract, PostgreSQL's `->>`.
 * `key` is the code's own constant (written into the statement, not bound).
 */
export const jsonText = (engine: Engine, column: string, key: string): RawBuilder<string | null> =>
  engine === 'postgres' ? sql<string | null>`(${sql.ref(column)}::jsonb ->> ${sql.lit(key)})` : sql<string | null>`json_extract(${sql.ref(column)}, ${sql.lit(`$.${key}`)})`;

/**
 * A top-level member of a JSON text column, as an integer. PostgreSQL casts its text and fails on a
 * member that is not one: guard the call (CASE) where a row's member may be anything else.
 */
export const jsonInteger = (engine: Engine, column: string, key: string): RawBuilder<number | null> =>
  engine === 'postgres' ? sql<number | null>`(${sql.ref(column)}::jsonb ->> ${sql.lit(key)})::int` : sql<number | null>`json_extract(${sql.ref(column)}, ${sql.lit(`$.${key}`)})`;
