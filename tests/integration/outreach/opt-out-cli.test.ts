// `npm run outreach` honours the opt-outs stored in the database at
// DATABASE_URL: the households of people who asked not to be screened are
// left out of the output and of --import, counted on standard error and never
// named; no database means nothing checked (said so); opt-outs without the
// portal's session secret, or a database that cannot be read, stop the run
// (exit 2). SQLite files and PostgreSQL databases alike (issue 8).
import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { loadScreeningOptOuts, readScreeningOptOutsAt, screeningOptOutHashFor } from "~/models/outreach.server";
import { dataDir } from "~/services/config.server";
import { db, dialectOf } from "~/services/db.server";
import { withDatabase } from "../../support/postgres";

vi.setConfig({ testTimeout: 90_000 });

const FIXTURE = path.resolve("tests/fixtures/outreach/screening.csv");
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "outreach-opt-out-"));
afterAll(async () => {
  fs.rmSync(tmp, { recursive: true, force: true });
  await db.$disconnect();
});

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function cli(args: string[], env: Record<string, string | undefined> = {}): Promise<Run> {
  const merged: NodeJS.ProcessEnv = { ...process.env, LANG: "en_US.UTF-8", LC_ALL: "", ...env };
  for (const [k, v] of Object.entries(env)) if (v === undefined) delete merged[k];
  return new Promise((resolve) => {
    execFile(process.execPath, ["--import", "tsx", "app/cli/outreach.ts", ...args], { env: merged, maxBuffer: 64 << 20 }, (error, stdout, stderr) =>
      resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

const E_FIRST = "110101198507071232"; // household E
const C_ONLY = "11010119600315123X"; // household C

beforeAll(async () => {
  // hashed as the portal records them (same SESSION_SECRET as the child's environment)
  await db.screeningOptOut.create({ data: { idHash: screeningOptOutHashFor(E_FIRST), source: "web" } });
  await db.screeningOptOut.create({ data: { idHash: screeningOptOutHashFor(C_ONLY.toLowerCase()), source: "staff" } });
});

describe("npm run outreach and screening opt-outs", () => {
  it("loads the stored hashes through the URL and through the Prisma client alike", async () => {
    const byUrl = await loadScreeningOptOuts(process.env.DATABASE_URL!);
    const byDb = await loadScreeningOptOuts(db);
    expect(byUrl.size).toBe(2);
    expect([...byUrl].sort()).toEqual([...byDb].sort());
    expect(byUrl.has(screeningOptOutHashFor(E_FIRST))).toBe(true);
  });

  it("leaves out the opted-out households, counts them, names nobody, and imports only the rest", async () => {
    const r = await cli(["--input", FIXTURE, "--as-of", "2026-06-01", "--import"]);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { household_id: string }[];
    expect(out.map((h) => h.household_id)).toEqual(["MED", "BAD", "D"]);
    expect(r.stderr).toContain("Households: 8. Flagged: 3.");
    expect(r.stderr).toContain("Opt-outs: 2 people asked not to be screened; 2 households left out.");
    expect(r.stdout + r.stderr).not.toMatch(/张伟|李|110101198507071232|11010119600315123X/);
    const leads = await db.outreachLead.findMany({ where: { dataDate: "2026-06-01" }, orderBy: { householdId: "asc" } });
    expect(leads.map((l) => l.householdId)).toEqual(["BAD", "D", "MED"]);
  });

  it("leaves out the same households when the file is read on worker threads", async () => {
    const r = await cli(["--input", FIXTURE, "--as-of", "2026-06-01"], { LIFELINE_OUTREACH_THREADS: "2", LIFELINE_OUTREACH_PARALLEL_BYTES: "1", LIFELINE_OUTREACH_STATS: "1" });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('"threads":2');
    expect((JSON.parse(r.stdout) as { household_id: string }[]).map((h) => h.household_id)).toEqual(["MED", "BAD", "D"]);
    expect(r.stderr).toContain("2 households left out.");
  });

  it("with another session secret the hashes match nobody: the secret really is the key", async () => {
    const r = await cli(["--input", FIXTURE, "--as-of", "2026-06-01"], { SESSION_SECRET: "some-other-secret" });
    expect(r.code).toBe(0);
    expect((JSON.parse(r.stdout) as { household_id: string }[]).map((h) => h.household_id)).toEqual(["MED", "BAD", "C", "D", "E"]);
    expect(r.stderr).toContain("2 people asked not to be screened; 0 households left out.");
  });

  it("refuses to screen when there are opt-outs but no session secret to match them", async () => {
    // no SESSION_SECRET and no session-secret file beside this test database (PostgreSQL: in ./data)
    expect(fs.existsSync(path.join(dataDir(), "session-secret"))).toBe(false);
    const r = await cli(["--input", FIXTURE, "--as-of", "2026-06-01"], { SESSION_SECRET: undefined });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain("set SESSION_SECRET as the portal has it");
  });

  it("says when there is no database to read opt-outs from, and screens everyone", async () => {
    const r = await cli(["--input", FIXTURE, "--as-of", "2026-06-01"], { DATABASE_URL: `file:${path.join(tmp, "missing.db")}` });
    expect(r.code).toBe(0);
    expect((JSON.parse(r.stdout) as unknown[]).length).toBe(5);
    expect(r.stderr).toContain("No database at DATABASE_URL, so no opt-outs were checked.");
    expect(fs.existsSync(path.join(tmp, "missing.db"))).toBe(false);
    if (dialectOf(process.env.DATABASE_URL!) === "postgresql") {
      // the same for a PostgreSQL database that was never created (the server answers)
      const missing = await cli(["--input", FIXTURE, "--as-of", "2026-06-01"], { DATABASE_URL: withDatabase(process.env.DATABASE_URL!, "lifeline_never_created") });
      expect(missing.code).toBe(0);
      expect((JSON.parse(missing.stdout) as unknown[]).length).toBe(5);
      expect(missing.stderr).toContain("No database at DATABASE_URL, so no opt-outs were checked.");
    }
  });

  it("refuses to screen when the database at the URL cannot be read (a PostgreSQL server that does not answer)", async () => {
    const r = await cli(["--input", FIXTURE, "--as-of", "2026-06-01"], { DATABASE_URL: "postgresql://lifeline:secret-password@127.0.0.1:1/lifeline" });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain("The opt-outs could not be read from the database at DATABASE_URL (ECONNREFUSED). Nothing was screened.");
    expect(r.stderr).not.toContain("secret-password");
  });

  it("reads the opt-outs of the database this suite runs on, whichever it is", async () => {
    const hashes = await readScreeningOptOutsAt(process.env.DATABASE_URL!);
    expect(hashes?.size).toBe(2);
  });

  it("documents the opt-outs in --help (exit 0)", async () => {
    const r = await cli(["--help"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("--input FILE.csv");
    expect(r.stdout).toContain("DATABASE_URL");
    expect(r.stdout).toContain("asked not to be screened");
  });
});
