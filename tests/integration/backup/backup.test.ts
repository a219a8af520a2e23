// npm run backup / restore (app/services/backup.server.ts, app/cli/*): a
// consistent copy taken while writes go on, checked before it is restored,
// and the current files moved aside rather than lost. These commands are
// SQLite's online backup, so this file runs them on a SQLite database of its
// own even when the suite runs on PostgreSQL (issue 8); on a PostgreSQL
// DATABASE_URL they refuse plainly and point to pg_dump / pg_basebackup.
import { execFile } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import Database from "better-sqlite3";
import { afterAll, describe, expect, it } from "vitest";
import { BackupError, createBackup, restoreBackup, verifyBackup } from "~/services/backup.server";
import { isPostgresUrl, migrateDatabase } from "~/services/migrate.server";

const run = promisify(execFile);
const work = fs.mkdtempSync(path.join(os.tmpdir(), "lifeline-backup-"));

// The suite's own copy when it runs on SQLite; otherwise a new migrated SQLite file. Set before the
// Prisma client is made (db.server.ts picks the database when it loads: imported below, not above),
// and for the commands run below.
if (isPostgresUrl(process.env.DATABASE_URL!)) {
  process.env.DATABASE_URL = `file:${path.join(work, "sqlite", "app.db")}`;
  await migrateDatabase(process.env.DATABASE_URL);
}
const databaseUrl = process.env.DATABASE_URL!;
const { db, prepareDatabase } = await import("~/services/db.server");
afterAll(async () => {
  await db.$disconnect();
  fs.rmSync(work, { recursive: true, force: true });
});
const uploadDir = path.join(work, "uploads");
fs.mkdirSync(uploadDir);
const evidenceName = `${crypto.randomBytes(16).toString("hex")}.pdf`;
fs.writeFileSync(path.join(uploadDir, evidenceName), "%PDF-1.4 evidence");
fs.writeFileSync(path.join(uploadDir, ".upload-abc.part"), "half written");

function callback(n: number) {
  return { reference: `CB-BACKUP-${n}`, phone: "+8613800000000", language: "zh-CN", source: "web_request", dueAt: new Date() };
}

function countIn(file: string, table: string): number {
  const copy = new Database(file, { readonly: true });
  try {
    return (copy.prepare(`SELECT count(*) AS n FROM "${table}"`).get() as { n: number }).n;
  } finally {
    copy.close();
  }
}

describe("backup", () => {
  it("copies a consistent database while writes go on, and the evidence files, with a manifest", async () => {
    await prepareDatabase();
    for (let n = 0; n < 50; n++) await db.callbackRequest.create({ data: callback(n) });
    let writing = true;
    let written = 50;
    const writer = (async () => {
      while (writing) {
        // Like requests arriving: let timers and the backup's steps run between writes.
        await new Promise((resolve) => setImmediate(resolve));
        await db.callbackRequest.create({ data: callback(written++) });
      }
    })();
    await new Promise((resolve) => setTimeout(resolve, 100));
    const before = written;
    const target = path.join(work, "backup-1");
    const manifest = await createBackup({ databaseUrl, uploadDir, target });
    writing = false;
    await writer;

    const copied = countIn(path.join(target, "app.db"), "CallbackRequest");
    expect(copied).toBeGreaterThanOrEqual(before - 1);
    expect(copied).toBeLessThanOrEqual(written);
    expect(manifest.database.tables.CallbackRequest).toBe(copied);
    expect(manifest.uploads.map((u) => u.name)).toEqual([evidenceName]);
    expect(fs.readdirSync(path.join(target, "uploads"))).toEqual([evidenceName]);
    expect(fs.statSync(path.join(target, "app.db")).mode & 0o777).toBe(0o600);
    await expect(verifyBackup(target)).resolves.toMatchObject({ format: "lifeline-backup-1" });
  });

  it("refuses a folder that already holds files", async () => {
    const target = path.join(work, "occupied");
    fs.mkdirSync(target);
    fs.writeFileSync(path.join(target, "something"), "x");
    await expect(createBackup({ databaseUrl, uploadDir, target })).rejects.toMatchObject({ key: "backup.targetNotEmpty" });
  });
});

describe("restore", () => {
  it("refuses a backup whose files changed after it was made, and changes nothing", async () => {
    const target = path.join(work, "backup-tampered");
    await createBackup({ databaseUrl, uploadDir, target });
    fs.appendFileSync(path.join(target, "uploads", evidenceName), "changed");
    const restoreTo = path.join(work, "restored-tampered", "app.db");
    const error = await restoreBackup({ databaseUrl: `file:${restoreTo}`, uploadDir: path.join(work, "restored-tampered", "uploads"), source: target }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BackupError);
    expect(error).toMatchObject({ key: "restore.changed", values: { name: evidenceName } });
    expect(fs.existsSync(restoreTo)).toBe(false);
  });

  it("puts the backup in place and keeps what was there beside it", async () => {
    const target = path.join(work, "backup-2");
    const manifest = await createBackup({ databaseUrl, uploadDir, target });
    const place = path.join(work, "live");
    fs.mkdirSync(path.join(place, "uploads"), { recursive: true });
    fs.writeFileSync(path.join(place, "app.db"), "the old database");
    fs.writeFileSync(path.join(place, "uploads", "old.pdf"), "old");
    const { movedAside } = await restoreBackup({
      databaseUrl: `file:${path.join(place, "app.db")}`,
      uploadDir: path.join(place, "uploads"),
      source: target,
      now: new Date("2026-11-29T01:02:03Z"),
    });
    expect(countIn(path.join(place, "app.db"), "CallbackRequest")).toBe(manifest.database.tables.CallbackRequest);
    expect(fs.readdirSync(path.join(place, "uploads"))).toEqual([evidenceName]);
    expect(movedAside.map((p) => path.basename(p)).sort()).toEqual(["app.db.before-restore-20261129010203", "uploads.before-restore-20261129010203"]);
    expect(fs.readFileSync(path.join(place, "app.db.before-restore-20261129010203"), "utf8")).toBe("the old database");
  });
});

describe("the commands", () => {
  const env = { ...process.env, UPLOAD_DIR: uploadDir, LIFELINE_LANG: "en" };

  it("npm run backup prints the folder it made; a wrong option is exit 2 with the usage", async () => {
    const out = path.join(work, "cli-backup");
    const { stdout, stderr } = await run("npx", ["tsx", "app/cli/backup.ts", "--out", out], { env });
    expect(stdout.trim()).toBe(out);
    expect(stderr).toMatch(/Backup complete/);
    expect(fs.existsSync(path.join(out, "manifest.json"))).toBe(true);
    const wrong = await run("npx", ["tsx", "app/cli/backup.ts", "--bogus"], { env }).catch((e: { code: number; stderr: string }) => e);
    expect(wrong).toMatchObject({ code: 2 });
    expect((wrong as { stderr: string }).stderr).toMatch(/Usage: npm run backup/);
  });

  it("npm run restore without a folder, or with a folder that is not a backup, is exit 2 with a plain message", async () => {
    const none = await run("npx", ["tsx", "app/cli/restore.ts"], { env }).catch((e: { code: number; stderr: string }) => e);
    expect(none).toMatchObject({ code: 2 });
    expect((none as { stderr: string }).stderr).toMatch(/Usage: npm run restore/);
    const notBackup = await run("npx", ["tsx", "app/cli/restore.ts", work], { env: { ...env, LIFELINE_LANG: "zh-CN" } }).catch((e: { code: number; stderr: string }) => e);
    expect(notBackup).toMatchObject({ code: 2 });
    expect((notBackup as { stderr: string }).stderr).toMatch(/不是备份/);
    expect((notBackup as { stderr: string }).stderr).not.toMatch(/at .*\.ts:\d+/);
  });

  it("on PostgreSQL, backup and restore say to use pg_dump or pg_basebackup (exit 2) and touch nothing", async () => {
    // No server is needed (none answers at this address): the commands refuse before connecting.
    const postgres = { ...env, DATABASE_URL: "postgresql://lifeline@127.0.0.1:1/lifeline" };
    const out = path.join(work, "pg-backup");
    const backup = await run("npx", ["tsx", "app/cli/backup.ts", "--out", out], { env: postgres }).catch((e: { code: number; stdout: string; stderr: string }) => e);
    expect(backup).toMatchObject({ code: 2, stdout: "" });
    const said = (backup as { stderr: string }).stderr;
    expect(said).toContain("DATABASE_URL is a PostgreSQL database");
    expect(said).toMatch(/pg_dump.*pg_basebackup/);
    expect(said).toContain(`copy the uploads folder ${uploadDir} as well`);
    expect(said).toContain('See "Backup and restore" in the README. Nothing was changed.');
    expect(said).not.toMatch(/at .*\.ts:\d+/);
    expect(fs.existsSync(out)).toBe(false);

    const restore = await run("npx", ["tsx", "app/cli/restore.ts", path.join(work, "backup-2")], { env: { ...postgres, LIFELINE_LANG: "zh-CN" } }).catch(
      (e: { code: number; stderr: string }) => e,
    );
    expect(restore).toMatchObject({ code: 2 });
    expect((restore as { stderr: string }).stderr).toMatch(/PostgreSQL 请用 pg_restore/);
    expect((restore as { stderr: string }).stderr).toContain("README");
    expect(fs.readdirSync(uploadDir).sort()).toEqual([".upload-abc.part", evidenceName].sort());
  });
});
