// The test's side of the power cut (power-cut.c): builds the LD_PRELOAD
// library, and after a SIGKILL plays each "<file>.pcundo" log backwards so
// the data directory holds only what had been synced to disk. The WAL index
// (app.db-shm) is shared memory, never synced: it goes too, as it would in a
// real power cut (SQLite rebuilds it from the WAL).
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

const UNDO_SUFFIX = ".pcundo";
const HEADER_BYTES = 32;
const KIND_WRITE = 1n;
const KIND_TRUNCATE = 2n;

/** Compiles power-cut.c into `outDir`; returns the library's path. Needs a C compiler (cc). */
export function buildPowerCutLibrary(outDir: string): string {
  const source = path.resolve("tests/integration/crash/power-cut.c");
  const library = path.join(outDir, "power-cut.so");
  try {
    execFileSync(
      "cc",
      [
        "-shared",
        "-fPIC",
        "-O2",
        "-Wall",
        "-Werror",
        "-o",
        library,
        source,
        "-ldl",
        "-lpthread",
      ],
      { stdio: "pipe" }
    );
  } catch (error) {
    const stderr =
      (error as { stderr?: Buffer }).stderr?.toString() ?? String(error);
    throw new Error(
      `The crash test needs a C compiler (cc) to build its power-cut library:\n${stderr}`
    );
  }
  return library;
}

/** The environment that loads the library into a server whose files live in `dataDir`. */
export function powerCutEnv(
  library: string,
  dataDir: string
): Record<string, string> {
  return { LD_PRELOAD: library, LIFELINE_POWER_CUT_DIR: path.resolve(dataDir) };
}

interface UndoRecord {
  kind: bigint;
  offset: number;
  oldSize: number;
  saved: Buffer;
}

function readRecords(file: string): UndoRecord[] {
  const bytes = fs.readFileSync(file);
  const records: UndoRecord[] = [];
  let at = 0;
  while (at + HEADER_BYTES <= bytes.length) {
    const kind = bytes.readBigUInt64LE(at);
    const offset = Number(bytes.readBigUInt64LE(at + 8));
    const oldSize = Number(bytes.readBigUInt64LE(at + 16));
    const savedBytes = Number(bytes.readBigUInt64LE(at + 24));
    if (kind !== KIND_WRITE && kind !== KIND_TRUNCATE)
      throw new Error(`power cut: ${file} is damaged at byte ${at}`);
    // A record cut short by the SIGKILL: its write had not started (the record is written first).
    if (at + HEADER_BYTES + savedBytes > bytes.length) break;
    records.push({
      kind,
      offset,
      oldSize,
      saved: bytes.subarray(at + HEADER_BYTES, at + HEADER_BYTES + savedBytes),
    });
    at += HEADER_BYTES + savedBytes;
  }
  return records;
}

export interface PowerCutReport {
  /** undo logs found (one per file the server wrote since its last sync; the library writes one as soon as a file is written) */
  logs: number;
  /** unsynced writes and truncations undone */
  undone: number;
  /** bytes of unsynced data that were thrown away (roughly: the old bytes put back) */
  bytes: number;
}

/**
 * Call only after the server is dead. Undoes every write not followed by a
 * sync of its file and removes the WAL index, as a power cut would.
 */
export function cutPower(dataDir: string): PowerCutReport {
  const report: PowerCutReport = { logs: 0, undone: 0, bytes: 0 };
  for (const name of fs.readdirSync(dataDir)) {
    if (!name.endsWith(UNDO_SUFFIX)) continue;
    const log = path.join(dataDir, name);
    report.logs++;
    const target = path.join(dataDir, name.slice(0, -UNDO_SUFFIX.length));
    const records = readRecords(log);
    if (fs.existsSync(target) && records.length > 0) {
      const fd = fs.openSync(target, "r+");
      try {
        for (const record of records.reverse()) {
          if (record.saved.length > 0)
            fs.writeSync(
              fd,
              record.saved,
              0,
              record.saved.length,
              record.offset
            );
          fs.ftruncateSync(fd, record.oldSize);
          report.undone++;
          report.bytes += record.saved.length;
        }
        fs.fsyncSync(fd);
      } finally {
        fs.closeSync(fd);
      }
    }
    fs.rmSync(log);
  }
  fs.rmSync(path.join(dataDir, "app.db-shm"), { force: true });
  return report;
}
