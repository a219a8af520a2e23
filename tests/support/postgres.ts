// Test helpers for the PostgreSQL runs (issue 8): a one-off query as the
// server's admin user, and a URL for another database on the same server.
import pg from "pg";

export async function adminQuery(adminUrl: string, sql: string): Promise<Array<Record<string, string>>> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    return (await client.query(sql)).rows as Array<Record<string, string>>;
  } finally {
    await client.end();
  }
}

/** The same server and credentials, another database. */
export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}
