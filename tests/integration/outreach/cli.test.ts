// `npm run outreach` as a child process: exit codes, JSON on standard output
// in rank order, `line N: why` on standard error, refusals of unusable files,
// and --import storing one lead per household and date (twice → no duplicates).
import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it, vi } from "vitest";
import { COLUMNS } from "~/domain/outreach";
import { db } from "~/services/db.server";

// each case starts one or more Node processes (about 2 s each, more on a busy machine)
vi.setConfig({ testTimeout: 90_000 });

const FIXTURE = path.resolve("tests/fixtures/outreach/screening.csv");
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "outreach-cli-"));
afterAll(async () => {
  fs.rmSync(tmp, { recursive: true, force: true });
  await db.$disconnect();
});

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function cli(args: string[], env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ["--import", "tsx", "app/cli/outreach.ts", ...args],
      { env: { ...process.env, LANG: "en_US.UTF-8", LC_ALL: "", ...env }, maxBuffer: 64 << 20 },
      (error, stdout, stderr) => resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

function file(name: string, content: string | Buffer): string {
  const p = path.join(tmp, name);
  fs.writeFileSync(p, content);
  return p;
}

describe("npm run outreach", () => {
  it("prints the flagged households as one JSON array in rank order, with figures; malformed rows on stderr", async () => {
    const r = await cli(["--input", FIXTURE, "--as-of", "2026-06-01"]);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { household_id: string; flags: string[]; perCapitaIncome: string; members: number; reasons: { code: string; passed: boolean; values: Record<string, unknown>; message: string }[] }[];
    expect(out.map((h) => h.household_id)).toEqual(["MED", "BAD", "C", "D", "E"]);
    expect(Object.keys(out[0])).toEqual(["household_id", "flags", "perCapitaIncome", "members", "reasons"]);
    expect(out[0]).toMatchObject({ flags: ["medical_no_labour", "likely_dibao"], perCapitaIncome: "0.00", members: 2 });
    expect(out[0].reasons[0]).toMatchObject({ code: "outreach.medical_no_labour", passed: true, values: { outOfPocket: "62000.00", catastrophicMedical: "50000.00" } });
    expect(out[0].reasons[0].message).toContain("62000.00");
    expect(out[1].reasons.at(-1)).toMatchObject({ code: "outreach.incomplete_records", values: { skippedRows: 1, lines: "13" } });
    const lines = r.stderr.split("\n").filter((l) => l.startsWith("line "));
    expect(lines.map((l) => l.split(":")[0])).toEqual(["line 13", "line 14", "line 15", "line 16", "line 17", "line 18", "line 19", "line 20"]);
    expect(lines[0]).toBe("line 13: age must be a whole number from 0 to 130");
    expect(r.stderr).toContain("Rows read: 19. Malformed rows skipped: 8. Households: 8. Flagged: 5.");
    // personal data stays out of the printed output and the error lines
    expect(r.stdout + r.stderr).not.toMatch(/王大明|110101195001011239|13800138000/);
  });

  it("prints CSV with a header, and messages in Chinese by default", async () => {
    const r = await cli(["--input", FIXTURE, "--as-of", "2026-06-01", "--format", "csv"], { LANG: "zh_CN.UTF-8" });
    expect(r.code).toBe(0);
    const rows = r.stdout.trim().split("\r\n");
    expect(rows[0]).toBe("rank,household_id,flags,flag_count,perCapitaIncome,members,reasons");
    expect(rows[1]).toMatch(/^1,MED,medical_no_labour;likely_dibao,2,0.00,2,/);
    expect(rows).toHaveLength(6);
    expect(r.stderr).toContain("line 13: age 必须是");
  });

  it("accepts the columns in any order, a BOM and CRLF line ends", async () => {
    const text = fs.readFileSync(FIXTURE, "utf8").split("\n").slice(0, 12);
    const cols = text[0].split(",");
    const order = [...cols.keys()].reverse();
    // reorder only rows without quoted fields
    const reordered = text.filter((l) => !l.includes('"')).map((l) => order.map((i) => l.split(",")[i]).join(","));
    const r = await cli(["--input", file("reordered.csv", `\uFEFF${reordered.join("\r\n")}\r\n`), "--as-of", "2026-06-01"]);
    expect(r.code).toBe(0);
    expect((JSON.parse(r.stdout) as { household_id: string }[]).map((h) => h.household_id)).toEqual(["MED", "BAD", "D", "E"]);
  });

  it("uses the rule version in force on --as-of (S = 1080 in 2027)", async () => {
    const f = file("s.csv", `${COLUMNS.join(",")}\nS,s1,,110101198005201236,,self,40,none,true,false,1050,none,0,\n`);
    expect(JSON.parse((await cli(["--input", f, "--as-of", "2026-12-31"])).stdout)).toEqual([]);
    const r = JSON.parse((await cli(["--input", f, "--as-of", "2027-01-01"])).stdout) as { reasons: { values: { S: string } }[] }[];
    expect(r[0].reasons[0].values.S).toBe("1080.00");
  });

  it.each([
    [[], "--input"],
    [["--input"], "--input"],
    [["--input", FIXTURE, "--as-of", "2026-02-30"], "--as-of"],
    [["--input", FIXTURE, "--as-of", "2025-06-01"], "No rules"],
    [["--input", FIXTURE, "--format", "xml"], "--format"],
    [["--input", FIXTURE, "--verbose"], "--verbose"],
    [["--input", "/nonexistent/file.csv"], "cannot be read"],
    [["--input", "/tmp"], "cannot be read"],
  ])("refuses unusable arguments %j with exit 2", async (args, message) => {
    const r = await cli(args);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain(message);
  });

  it.each([
    ["empty.csv", "", "empty"],
    ["header.csv", "household_id,person_id,name\nH,P,N\n", "lacks the columns: id_number, phone"],
    ["binary.csv", Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x00, 0x00, 0x08]), "binary"],
    ["utf16.csv", Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(COLUMNS.join(","), "utf16le")]), "UTF-16"],
    ["latin1.csv", Buffer.concat([Buffer.from(`${COLUMNS.join(",")}\nH,P,`), Buffer.from([0xd6, 0xd0, 0xce, 0xc4]), Buffer.from(",x\n")]), "not UTF-8"],
    ["unclosed.csv", `${COLUMNS.join(",")}\nH,P,"${"x".repeat(1_100_000)}`, "never ends"],
  ])("refuses %s with exit 2 and a clear message", async (name, content, message) => {
    const r = await cli(["--input", file(name, content), "--as-of", "2026-06-01"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message);
  });

  it("--import stores one lead per household and date; a second import adds none", async () => {
    const first = await cli(["--input", FIXTURE, "--as-of", "2026-06-01", "--import"]);
    expect(first.code).toBe(0);
    expect(first.stderr).toContain("Leads imported: 5 new, 0 already there.");
    const second = await cli(["--input", FIXTURE, "--as-of", "2026-06-01", "--import"]);
    expect(second.code).toBe(0);
    expect(second.stderr).toContain("Leads imported: 0 new, 5 already there.");
    expect(await db.outreachLead.count({ where: { dataDate: "2026-06-01" } })).toBe(5);
    const med = await db.outreachLead.findUniqueOrThrow({ where: { householdId_dataDate: { householdId: "MED", dataDate: "2026-06-01" } } });
    expect(med).toMatchObject({ flagCount: 2, perCapitaIncomeFen: 0, members: 2, status: "new" });
    expect(JSON.parse(med.flags)).toEqual(["medical_no_labour", "likely_dibao"]);
    const household = JSON.parse(med.household) as { members: { age: number; monthlyIncome: number }[]; annualMedicalOutOfPocket: number; annualEducationCost: number };
    expect(household).toMatchObject({ annualMedicalOutOfPocket: 62000, annualEducationCost: 0 });
    expect(household.members.map((m) => m.monthlyIncome)).toEqual([1500, 1000]);
    expect(JSON.parse(med.people)).toEqual([
      { personId: "m1", name: "王大明", idNumber: "110101195001011239", phone: "13800138000", mobile: "+8613800138000", relation: "self" },
      { personId: "m2", name: "赵丽", idNumber: "110101195505051234", phone: "", mobile: null, relation: "spouse" },
    ]);
    // another date is another lead
    const later = await cli(["--input", FIXTURE, "--as-of", "2026-07-01", "--import"]);
    expect(later.stderr).toContain("Leads imported: 5 new, 0 already there.");
  }, 240_000); // three runs, each applying migrations with Prisma's CLI
});
