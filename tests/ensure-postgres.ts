// Runs before the PostgreSQL pass (`npm run test:postgres`, issue 8): the
// suites fall back to SQLite when LIFELINE_TEST_POSTGRES_URL is unset, so a
// pass "on PostgreSQL" without it would quietly test SQLite again. Stop with
// what to do instead, and check the server answers before Vitest starts.
import pg from "pg";

const EXAMPLE = "LIFELINE_TEST_POSTGRES_URL=postgresql://postgres@127.0.0.1:5432/postgres npm run test:postgres";

const url = process.env.LIFELINE_TEST_POSTGRES_URL;
if (!url || !/^postgres(ql)?:\/\//i.test(url)) {
  console.error(
    `test:postgres needs LIFELINE_TEST_POSTGRES_URL: the URL of a PostgreSQL server as a user that may create and drop databases, e.g.\n\n  ${EXAMPLE}\n\n(.ci/postgres start makes a throwaway server and prints its URL.)`,
  );
  process.exit(1);
}

const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 10_000 });
try {
  await client.connect();
  const { rows } = await client.query<{ server_version: string }>("SHOW server_version");
  console.log(`ensure-postgres: PostgreSQL ${rows[0]?.server_version ?? "?"} answers at ${new URL(url).host}`);
} catch (error) {
  console.error(`ensure-postgres: cannot reach ${new URL(url).host}: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
} finally {
  await client.end().catch(() => undefined);
}
