// `npm run outreach` on worker threads (each reads the whole file and keeps
// its own households, the parts merged in rank and line order) against the
// one-thread path, on a generated
// file with malformed rows scattered through it, persons repeated across the
// parts, quoted names and a CRLF line: standard output (JSON and CSV) and
// standard error (every `line N: why` and the summary) are byte for byte the
// same, also for a quoted field holding many line breaks. A file a part
// cannot read (not UTF-8) falls back to one thread: the same message.
import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { COLUMNS } from "~/domain/outreach";
import { db } from "~/services/db.server";
import { writeOutreachCsv } from "../../bench/outreach-data";

vi.setConfig({ testTimeout: 180_000 });

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "outreach-parallel-"));
const FILE = path.join(tmp, "people.csv");
const QUOTED = path.join(tmp, "quoted.csv");
afterAll(async () => {
  fs.rmSync(tmp, { recursive: true, force: true });
  await db.$disconnect();
});

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function cli(args: string[], env: Record<string, string>): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ["--import", "tsx", "app/cli/outreach.ts", ...args],
      { env: { ...process.env, LANG: "en_US.UTF-8", LC_ALL: "", LIFELINE_OUTREACH_PARALLEL_BYTES: "1", ...env }, maxBuffer: 256 << 20 },
      (error, stdout, stderr) => resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

const statsOf = (stderr: string) => JSON.parse(stderr.split("\n").find((l) => l.startsWith("outreach-stats "))!.slice("outreach-stats ".length)) as { threads: number };
const withoutStats = (stderr: string) => stderr.split("\n").filter((l) => !l.startsWith("outreach-stats ")).join("\n");

beforeAll(() => {
  writeOutreachCsv(FILE, 6000, 7);
  const lines = fs.readFileSync(FILE, "utf8").split("\n");
  // malformed rows scattered through the file, and people repeated far from their first row
  for (let i = 1; i < lines.length - 1; i += 97) lines[i] = lines[i].replace(/,(\d+),(none|mild|moderate|severe),/, ",abc,$2,");
  for (let i = 50; i < lines.length - 1; i += 211) lines[i] = lines[i].split(",").slice(0, 13).join(",");
  for (let i = 5; i < 200; i += 7) lines.splice(lines.length - 1 - i * 3, 0, lines[i]);
  lines[300] = `${lines[300]}\r`;
  lines.splice(400, 0, `"H9999999",P1,"two\nlines",110101195001011239,,self,70,none,false,false,0,none,60000,`);
  fs.writeFileSync(FILE, lines.join("\n"));
  // a file whose middle is one long quoted field with line breaks (a cut would fall inside it)
  const header = `${COLUMNS.join(",")}\n`;
  const rows = Array.from({ length: 40 }, (_, i) => `Q${i},P${i},name,110101195001011239,,self,70,none,false,false,${i},none,0,`);
  const long = `QQ,P1,"${"长\n".repeat(2000)}",110101195001011239,,self,70,none,false,false,0,none,0,`;
  fs.writeFileSync(QUOTED, header + [...rows.slice(0, 20), long, ...rows.slice(20)].join("\n") + "\n");
});

describe("npm run outreach on worker threads", () => {
  it("prints exactly what one thread prints, with malformed and repeated rows across the parts", async () => {
    const [one, three] = await Promise.all([
      cli(["--input", FILE, "--as-of", "2026-06-01"], { LIFELINE_OUTREACH_THREADS: "1", LIFELINE_OUTREACH_STATS: "1" }),
      cli(["--input", FILE, "--as-of", "2026-06-01"], { LIFELINE_OUTREACH_THREADS: "3", LIFELINE_OUTREACH_STATS: "1" }),
    ]);
    expect(one.code).toBe(0);
    expect(three.code).toBe(0);
    expect(statsOf(one.stderr).threads).toBe(1);
    expect(statsOf(three.stderr).threads).toBe(3);
    expect(three.stdout).toBe(one.stdout);
    expect(withoutStats(three.stderr)).toBe(withoutStats(one.stderr));
    // the file really has what the merge must get right
    const problems = one.stderr.split("\n").filter((l) => l.startsWith("line "));
    expect(problems.filter((l) => l.includes("age must be")).length).toBeGreaterThan(50);
    expect(problems.filter((l) => l.includes("fields but the header")).length).toBeGreaterThan(20);
    expect(problems.filter((l) => l.includes("person_id is already")).length).toBeGreaterThan(20);
    expect((JSON.parse(one.stdout) as unknown[]).length).toBeGreaterThan(1000);
  });

  it("gives the same CSV output on threads", async () => {
    const [one, two] = await Promise.all([
      cli(["--input", FILE, "--as-of", "2026-06-01", "--format", "csv"], { LIFELINE_OUTREACH_THREADS: "1" }),
      cli(["--input", FILE, "--as-of", "2026-06-01", "--format", "csv"], { LIFELINE_OUTREACH_THREADS: "2" }),
    ]);
    expect(two.code).toBe(0);
    expect(two.stdout).toBe(one.stdout);
    expect(two.stderr).toBe(one.stderr);
  });

  it("reads a long quoted field with line breaks on threads too, with the same output", async () => {
    const [one, two] = await Promise.all([
      cli(["--input", QUOTED, "--as-of", "2026-06-01"], { LIFELINE_OUTREACH_THREADS: "1" }),
      cli(["--input", QUOTED, "--as-of", "2026-06-01"], { LIFELINE_OUTREACH_THREADS: "2", LIFELINE_OUTREACH_STATS: "1" }),
    ]);
    expect(two.code).toBe(0);
    expect(statsOf(two.stderr).threads).toBe(2);
    expect(two.stdout).toBe(one.stdout);
    expect(withoutStats(two.stderr)).toBe(one.stderr);
    expect(one.stderr).toContain("Rows read: 41.");
  });

  it("falls back to one thread for a file that is not UTF-8 further on, with the same message", async () => {
    const bad = path.join(tmp, "latin1.csv");
    fs.writeFileSync(bad, Buffer.concat([fs.readFileSync(FILE), Buffer.from("H1,P1,caf\xe9,110101195001011239,,self,70,none,false,false,0,none,0,\n", "latin1")]));
    const [one, two] = await Promise.all([
      cli(["--input", bad, "--as-of", "2026-06-01"], { LIFELINE_OUTREACH_THREADS: "1" }),
      cli(["--input", bad, "--as-of", "2026-06-01"], { LIFELINE_OUTREACH_THREADS: "2" }),
    ]);
    expect(one.code).toBe(2);
    expect(two.code).toBe(2);
    expect(two.stdout).toBe(one.stdout);
    expect(two.stderr).toBe(one.stderr);
  });
});
