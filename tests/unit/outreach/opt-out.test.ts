// Screening opt-outs: the HMAC of the ID number (normal form, derived key,
// a fixed vector computed independently with Python's hmac module), and a
// screening that leaves out every household with a member who opted out,
// also through a row skipped for another problem, counting them only.
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { OutreachScreening, type RowProblem } from "~/domain/outreach";
import { optOutExcluder, screeningOptOutHash, screeningOptOutKey } from "~/domain/outreach/opt-out";

const FIXTURE = fs.readFileSync(path.resolve("tests/fixtures/outreach/screening.csv"), "utf8");
const KEY = screeningOptOutKey("test-session-secret");

describe("screeningOptOutHash", () => {
  it("is HMAC-SHA256 under a key derived from the session secret with a fixed label", () => {
    // python3: k = hmac.new(b"test-session-secret", b"lifeline/screening-opt-out/v1", sha256).hexdigest()
    expect(KEY).toBe("38ed392a9845cf476a8ec6ea2838caa14051e278a8bfaca9302ff688e00cd930");
    // hmac.new(k.encode(), b"11010119600315123X", sha256).hexdigest()
    expect(screeningOptOutHash("11010119600315123X", KEY)).toBe("565f11014ba6e051e707907a899a613cf7c4d2457b43390852fbf4f6ca37b01b");
  });

  it("hashes the normal form: lower-case x and surrounding spaces give the same hash", () => {
    const h = screeningOptOutHash("11010119600315123X", KEY);
    expect(screeningOptOutHash(" 11010119600315123x ", KEY)).toBe(h);
    expect(screeningOptOutHash("110101196003151231", KEY)).not.toBe(h);
  });

  it("depends on the secret, and the key is not the session secret itself", () => {
    const other = screeningOptOutKey("another-secret");
    expect(other).not.toBe(KEY);
    expect(KEY).not.toContain("test-session-secret");
    expect(screeningOptOutHash("11010119600315123X", other)).not.toBe(screeningOptOutHash("11010119600315123X", KEY));
    expect(() => screeningOptOutKey("")).toThrow();
  });

  it("gives no exclusion test when nobody opted out (nothing is hashed per row)", () => {
    expect(optOutExcluder(new Set(), KEY)).toBeNull();
    const exclude = optOutExcluder(new Set([screeningOptOutHash("110101198507071232", KEY)]), KEY)!;
    expect(exclude("110101198507071232")).toBe(true);
    expect(exclude("110101199009091235")).toBe(false);
  });
});

function screen(optedOut: string[]) {
  const problems: [number, RowProblem][] = [];
  const exclude = optOutExcluder(new Set(optedOut.map((id) => screeningOptOutHash(id, KEY))), KEY);
  const s = new OutreachScreening("2026-06-01", (line, p) => problems.push([line, p]), { excludePerson: exclude });
  s.push(FIXTURE);
  s.end();
  const results = s.results();
  return { ids: results.map((r) => r.householdId), summary: s.summary(results.length), problems };
}

describe("OutreachScreening with excludePerson", () => {
  it("flags as before when nobody opted out, with excluded 0", () => {
    const r = screen([]);
    expect(r.ids).toEqual(["MED", "BAD", "C", "D", "E"]);
    expect(r.summary).toMatchObject({ rowsRead: 19, malformed: 8, households: 8, flagged: 5, excluded: 0 });
  });

  it("leaves out the household of a person who opted out and counts it", () => {
    const r = screen(["110101198507071232"]); // E's first member
    expect(r.ids).toEqual(["MED", "BAD", "C", "D"]);
    expect(r.summary).toMatchObject({ households: 8, flagged: 4, excluded: 1 });
    // malformed rows are reported exactly as before
    expect(r.problems.map(([line]) => line)).toEqual([13, 14, 15, 16, 17, 18, 19, 20]);
  });

  it("matches a check character written x in the file, and a household not flagged anyway is still counted", () => {
    const r = screen(["11010119600315123X", "110101198005201236"]); // C (written X) and RICH (never flagged)
    expect(r.ids).toEqual(["MED", "BAD", "D", "E"]);
    expect(r.summary.excluded).toBe(2);
  });

  it("also honours an opt-out named on a row skipped for another problem", () => {
    // 110101195505051234: MED's second member, and BAD's row on line 13 (age "abc")
    const r = screen(["110101195505051234"]);
    expect(r.ids).toEqual(["C", "D", "E"]);
    expect(r.summary.excluded).toBe(2);
    expect(r.problems[0]).toEqual([13, { code: "integer", values: { column: "age", min: 0, max: 130 } }]);
  });
});
