// The bench's memory: every line a run prints is also appended to a JSON-lines
// file (bench-results/history.jsonl, or BENCH_HISTORY=<file>), stamped with
// when it ran and the commit; and each printed line carries `previous`, the key
// figures of the last earlier run's line of the same name, when there is one.
// The file is local (gitignored): it compares runs on one machine.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

export const DEFAULT_HISTORY_FILE = "bench-results/history.jsonl";

type Line = Record<string, unknown>;

export interface Previous {
  at: string;
  commit: string | null;
  value: unknown;
  [figure: string]: unknown;
}

const isFigure = (v: unknown) => typeof v === "number" || typeof v === "boolean";

/**
 * The figures worth putting beside today's: value, every top-level number or
 * true/false (ratio, target, meetsTarget, …), the throughput and CPU per
 * request of each compared server, and how busy the machine was.
 */
export function keyFigures(line: Line): Previous {
  const figures: Previous = { at: String(line.at ?? ""), commit: typeof line.commit === "string" ? line.commit : null, value: line.value };
  for (const [key, v] of Object.entries(line)) if (isFigure(v)) figures[key] = v;
  for (const side of ["app", "bare"]) {
    const s = line[side];
    if (s && typeof s === "object") {
      const { requestsPerSecond, cpuUsPerRequest, p95Ms } = s as Record<string, unknown>;
      figures[side] = { requestsPerSecond, cpuUsPerRequest, p95Ms };
    }
  }
  const machine = line.machine as Record<string, unknown> | undefined;
  if (machine && isFigure(machine.loadAverage1m)) figures.loadAverage1m = machine.loadAverage1m;
  return figures;
}

function currentCommit(): string | null {
  try {
    return execFileSync("git", ["rev-parse", "--short", "HEAD"], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim() || null;
  } catch {
    return null;
  }
}

export class History {
  private readonly last = new Map<string, Line>();
  private readonly commit = currentCommit();
  /** an interrupted run may have left a line without its end */
  private startOnNewLine = false;

  /** Reads what earlier runs left in `file` (nothing when it does not exist yet; unreadable lines are skipped). */
  constructor(readonly file: string = process.env.BENCH_HISTORY || DEFAULT_HISTORY_FILE) {
    if (!fs.existsSync(file)) return;
    const content = fs.readFileSync(file, "utf8");
    this.startOnNewLine = content.length > 0 && !content.endsWith("\n");
    for (const text of content.split("\n")) {
      if (!text.trim()) continue;
      try {
        const line = JSON.parse(text) as Line;
        if (typeof line.name === "string") this.last.set(line.name, line);
      } catch {
        // a line cut short by an interrupted run: the others still count
      }
    }
  }

  /**
   * Stamps the line, appends it to the file and returns it with `previous`
   * (null when no earlier run printed this name). Lines of this run never
   * count as previous for each other: the earlier runs were read at start.
   */
  record(line: Line): Line {
    const stamped = { ...line, at: new Date().toISOString(), commit: this.commit };
    const before = typeof line.name === "string" ? this.last.get(line.name) : undefined;
    fs.mkdirSync(path.dirname(path.resolve(this.file)), { recursive: true });
    fs.appendFileSync(this.file, `${this.startOnNewLine ? "\n" : ""}${JSON.stringify(stamped)}\n`);
    this.startOnNewLine = false;
    return { ...stamped, previous: before ? keyFigures(before) : null };
  }
}
