/**
 * Runs the shared repositories' statements on SQLite's one connection. Statements are prepared once
 * and kept (at most `MAX_PREPARED`, the oldest forgotten first: a query with a list of ids has a
 * text per list length). better-sqlite3 cannot bind a boolean: true and false go in as 1 and 0.
 */
import type Database from 'better-sqlite3';
import type { SqlRunner } from '../sql/db.ts';
import type { Db } from './db.ts';

const MAX_PREPARED = 500;

export function sqliteRunner(db: Db): SqlRunner {
  const prepared = new Map<string, Database.Statement>();
  const statement = (sql: string) => {
    let s = prepared.get(sql);
    if (!s) {
      s = db.prepare(sql);
      if (prepared.size >= MAX_PREPARED) prepared.delete(prepared.keys().next().value as string);
      prepared.set(sql, s);
    }
    return s;
  };
  return {
    engine: 'sqlite',
    async run(sql, params) {
      const s = statement(sql);
      const args = params.map((p) => (typeof p === 'boolean' ? Number(p) : p));
      if (s.reader) return { rows: s.all(...args) as Record<string, unknown>[] };
      return { rows: [], affected: s.run(...args).changes };
    },
  };
}
