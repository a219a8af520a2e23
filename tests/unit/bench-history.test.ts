// The bench's history file (tests/bench/history.ts): each run appends its lines,
// and a line gets the last earlier run's figures of the same name as `previous`.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { History } from "../bench/history";

const dirs: string[] = [];
function tempFile(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-history-"));
  dirs.push(dir);
  return path.join(dir, "nested", "history.jsonl");
}

afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

describe("bench history", () => {
  it("has no previous figures on a first run, and creates the file", () => {
    const file = tempFile();
    const line = new History(file).record({ name: "eligibility_api", unit: "requests/s", value: 100 });
    expect(line.previous).toBeNull();
    expect(typeof line.at).toBe("string");
    const stored = fs
      .readFileSync(file, "utf8")
      .trim()
      .split("\n")
      .map((text) => JSON.parse(text));
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({ name: "eligibility_api", value: 100 });
    expect(stored[0]).not.toHaveProperty("previous");
  });

  it("puts the last earlier run's key figures of the same name beside today's", () => {
    const file = tempFile();
    const first = new History(file);
    first.record({
      name: "eligibility_api",
      unit: "requests/s",
      value: 90,
      ratio: 0.5,
      meetsTarget: false,
      note: "words are not figures",
      app: { requestsPerSecond: 90, cpuUsPerRequest: 900, p95Ms: 10, p50Ms: 5 },
      machine: { cpus: 2, loadAverage1m: 3.5 },
    });
    first.record({ name: "page_weight", unit: "bytes", value: 9000 });
    const second = new History(file);
    first.record({ name: "eligibility_api", unit: "requests/s", value: 95 }); // a later run, not read by `second`
    const line = second.record({ name: "eligibility_api", unit: "requests/s", value: 120, ratio: 0.7 });
    expect(line.previous).toMatchObject({ value: 90, ratio: 0.5, meetsTarget: false });
    const third = new History(file).record({ name: "eligibility_api", unit: "requests/s", value: 1 });
    expect(third.previous).toMatchObject({ value: 120, ratio: 0.7 });
    const fromFirstRun = new History(file).record({ name: "page_weight", unit: "bytes", value: 8000 });
    expect(fromFirstRun.previous).toMatchObject({ value: 9000 });
  });

  it("keeps numbers, true/false, each server's throughput and CPU, and the machine's load; skips words", () => {
    const file = tempFile();
    new History(file).record({
      name: "ssr_start_page",
      unit: "requests/s",
      value: 90,
      ratio: 0.05,
      meetsTarget: false,
      note: "long words",
      app: { requestsPerSecond: 90, cpuUsPerRequest: 900, p95Ms: 10, p50Ms: 5 },
      machine: { cpus: 2, loadAverage1m: 3.5 },
    });
    const previous = new History(file).record({ name: "ssr_start_page", unit: "requests/s", value: 100 }).previous as Record<
      string,
      unknown
    >;
    expect(previous).toMatchObject({
      value: 90,
      ratio: 0.05,
      meetsTarget: false,
      app: { requestsPerSecond: 90, cpuUsPerRequest: 900, p95Ms: 10 },
      loadAverage1m: 3.5,
    });
    expect(previous).not.toHaveProperty("note");
    expect(typeof previous.at).toBe("string");
  });

  it("skips a line cut short by an interrupted run", () => {
    const file = tempFile();
    new History(file).record({ name: "x", unit: "n", value: 1 });
    fs.appendFileSync(file, '{"name":"x","val');
    const line = new History(file).record({ name: "x", unit: "n", value: 2 });
    expect(line.previous).toMatchObject({ value: 1 });
    // and the next line starts on a line of its own
    expect(new History(file).record({ name: "x", unit: "n", value: 3 }).previous).toMatchObject({ value: 2 });
  });
});
