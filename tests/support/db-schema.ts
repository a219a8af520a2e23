// The tables and columns of the test database, on SQLite or PostgreSQL
// (issue 8), for tests that look at the whole schema ("nothing changed
// anywhere", "nothing about them is left"). App code never needs this.
import { dialect, type Db } from "~/services/db.server";

/** Bookkeeping tables of the migration runners and of SQLite itself: never the app's data. */
const INTERNAL = new Set(["_prisma_migrations", "_lifeline_migrations", "sqlite_sequence"]);

/** The app's tables, by name, without `exclude` and the migration/internal ones. */
export async function listTables(db: Db, exclude: readonly string[] = []): Promise<string[]> {
  const rows =
    dialect === "postgresql"
      ? await db.$queryRaw<Array<{ name: string }>>`SELECT CAST(table_name AS TEXT) AS "name" FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'`
      : await db.$queryRaw<Array<{ name: string }>>`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`;
  const skip = new Set([...INTERNAL, ...exclude]);
  return rows
    .map((r) => r.name)
    .filter((name) => !skip.has(name))
    .sort();
}

/** A table's column names, in the table's order. */
export async function listColumns(db: Db, table: string): Promise<string[]> {
  const rows =
    dialect === "postgresql"
      ? await db.$queryRaw<Array<{ name: string }>>`SELECT CAST(column_name AS TEXT) AS "name" FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = ${table} ORDER BY ordinal_position`
      : await db.$queryRaw<Array<{ name: string }>>`SELECT name FROM pragma_table_info(${table}) ORDER BY cid`;
  return rows.map((r) => r.name);
}

/**
 * Every row of every table but `exclude`, as one text: equal texts mean
 * nothing changed. Each table's rows are sorted by their JSON, as PostgreSQL
 * returns rows in no fixed order without ORDER BY.
 */
export async function everyRowText(db: Db, exclude: readonly string[] = []): Promise<string> {
  const parts: string[] = [];
  for (const name of await listTables(db, exclude)) {
    const rows = await db.$queryRawUnsafe<unknown[]>(`SELECT * FROM "${name}"`);
    const texts = rows.map((row) => JSON.stringify(row, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v))).sort();
    parts.push(`${name}:[${texts.join(",")}]`);
  }
  return parts.join("\n");
}
