// Issue 7 item 5: `npm run backup` is safe under load. The real server takes
// partner submissions, call-back requests and signed texts from 8 clients
// while `npm run backup` (its own process, as an operator runs it) copies the
// database. The backup is restored with `npm run restore` into a fresh place:
// its integrity check is ok, every write acknowledged before the backup
// started is in it with the content acknowledged, and the server started on
// the restored data serves those cases and answers every stored text once.
import { execFile } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, expect, it } from "vitest";
import {
  buildApp,
  startServerProcess,
  type ServerProcess,
} from "../../support/app-server";
import {
  Ledger,
  STAFF_TOKEN,
  TWILIO_TOKEN,
  checkAcknowledged,
  startLoad,
  waitingTexts,
} from "../crash/writes";

const run = promisify(execFile);
const SEED = process.env.CRASH_SEED
  ? Number(process.env.CRASH_SEED)
  : crypto.randomInt(2 ** 31);
const work = fs.mkdtempSync(path.join(os.tmpdir(), "lifeline-backup-load-"));
const live = path.join(work, "live");
const restored = path.join(work, "restored");
const backupDir = path.join(work, "backup");
let server: ServerProcess | null = null;

beforeAll(() => buildApp(), 300_000);

afterAll(async () => {
  await server?.kill();
  fs.rmSync(work, { recursive: true, force: true });
});

const env = {
  STAFF_API_TOKEN: STAFF_TOKEN,
  TWILIO_AUTH_TOKEN: TWILIO_TOKEN,
  SESSION_SECRET: "backup-test-session-secret",
};
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The CLI's environment for the data in `dir` (as startServerProcess lays it out). */
function cliEnv(dir: string): NodeJS.ProcessEnv {
  return {
    ...process.env,
    ...env,
    DATABASE_URL: `file:${path.join(dir, "app.db")}`,
    UPLOAD_DIR: path.join(dir, "uploads"),
    LIFELINE_LANG: "en",
  };
}

it("backs up a consistent copy while writes go on, holding every write acknowledged before it started", async () => {
  const ledger = new Ledger(`b${SEED}`);
  server = await startServerProcess({ dataDir: live, env, keepLines: 200 });
  const load = startLoad(server.baseURL, ledger, { seed: SEED, clients: 8 });
  // Wait until there is something acknowledged of each kind.
  const deadline = Date.now() + 60_000;
  while (
    (ledger.applicationsAcked.size < 5 ||
      ledger.callbacksAcked.length < 5 ||
      ledger.textsAcked.length < 5) &&
    Date.now() < deadline
  )
    await sleep(50);

  const before = {
    applicationsAcked: [...ledger.applicationsAcked.values()],
    callbacksAcked: [...ledger.callbacksAcked],
    textsAcked: [...ledger.textsAcked],
  };
  const ackedBefore = ledger.acked();
  const { stdout, stderr } = await run(
    "npx",
    ["tsx", "app/cli/backup.ts", "--out", backupDir],
    { env: cliEnv(live) }
  );
  const ackedDuring = ledger.acked() - ackedBefore;
  await load.stop();
  await server.stop();
  server = null;
  expect(stdout.trim()).toBe(backupDir);
  expect(stderr).toMatch(/Backup complete/);
  // The writes really went on while the backup ran.
  expect(ackedDuring).toBeGreaterThan(0);
  expect(fs.readdirSync(backupDir).sort()).toEqual([
    "app.db",
    "manifest.json",
    "uploads",
  ]);

  const restore = await run("npx", ["tsx", "app/cli/restore.ts", backupDir], {
    env: cliEnv(restored),
  });
  expect(restore.stderr).toMatch(/Restored the backup made at/);
  const restoredDb = path.join(restored, "app.db");
  // Integrity, and every write acknowledged before the backup started, as acknowledged.
  expect(
    checkAcknowledged(restoredDb, ledger, {
      textsAnswered: false,
      ...before,
    }).slice(0, 30)
  ).toEqual([]);

  // The restored data serves: the cases are there through the staff API, and
  // the texts stored in the backup but not yet answered are answered, once each.
  server = await startServerProcess({ dataDir: restored, env, keepLines: 200 });
  for (const acked of before.applicationsAcked.slice(0, 5)) {
    const response = await fetch(
      `${server.baseURL}/api/v1/staff/cases/${acked.reference}`,
      { headers: { Authorization: `Bearer ${STAFF_TOKEN}` } }
    );
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      reference: acked.reference,
      status: acked.status,
    });
  }
  const drained = Date.now() + 60_000;
  while (waitingTexts(restoredDb) > 0 && Date.now() < drained) await sleep(200);
  await server.stop();
  server = null;
  expect(
    checkAcknowledged(restoredDb, ledger, {
      textsAnswered: true,
      ...before,
    }).slice(0, 30)
  ).toEqual([]);
  expect(ledger.unexpected).toEqual([]);
}, 300_000);
