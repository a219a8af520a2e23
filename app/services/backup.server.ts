// Backup and restore of the embedded SQLite database and the uploaded files.
//
// Backup uses SQLite's online backup API (through better-sqlite3), which
// copies a consistent snapshot while the server keeps reading and writing.
// The evidence files are copied after the database: a file is stored before
// its row is written and never changed afterwards, so every file the copied
// database refers to already exists. A manifest records what was taken and
// the sha256 of each file, and restore checks it before touching anything.
// The copy is one self-contained file (rollback journal, no -wal beside it;
// the server turns WAL on again when it opens a restored copy). Everything is
// synced to disk before the manifest is written, and the manifest is put in
// place by a rename: a backup folder with a manifest is complete even after a
// power cut (tests/integration/backup/backup-under-load.test.ts).
//
// Restore is for a stopped server: it checks the backup (manifest, hashes,
// PRAGMA integrity_check), moves the current database and uploads aside
// (nothing is deleted) and puts the backup in their place.
// PostgreSQL deployments use pg_dump/pg_restore instead (README).
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";

export const MANIFEST = "manifest.json";
export const BACKUP_DB = "app.db";
export const BACKUP_UPLOADS = "uploads";

export interface BackupManifest {
  format: "lifeline-backup-1";
  createdAt: string;
  database: {
    file: string;
    sha256: string;
    bytes: number;
    tables: Record<string, number>;
  };
  uploads: Array<{ name: string; sha256: string; bytes: number }>;
}

export class BackupError extends Error {
  constructor(
    /** a key of the "cli" namespace, for the message shown to the operator */
    readonly key: string,
    readonly values: Record<string, string | number> = {}
  ) {
    super(key);
    this.name = "BackupError";
  }
}

/** The SQLite file of a file: URL, or null for another database. */
export function sqlitePath(databaseUrl: string): string | null {
  if (!databaseUrl.startsWith("file:")) return null;
  return path.resolve(databaseUrl.slice("file:".length).split("?")[0]);
}

async function sha256File(file: string): Promise<string> {
  const hash = crypto.createHash("sha256");
  for await (const chunk of fs.createReadStream(file))
    hash.update(chunk as Buffer);
  return hash.digest("hex");
}

/** fsync a file or a directory (a directory's entries: new or renamed files in it). */
function syncToDisk(target: string): void {
  const fd = fs.openSync(target, "r");
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

function integrityOk(dbFile: string): boolean {
  const db = new Database(dbFile, { readonly: true, fileMustExist: true });
  try {
    const rows = db.prepare("PRAGMA integrity_check").all() as Array<{
      integrity_check: string;
    }>;
    return rows.length === 1 && rows[0].integrity_check === "ok";
  } finally {
    db.close();
  }
}

function tableCounts(dbFile: string): Record<string, number> {
  const db = new Database(dbFile, { readonly: true, fileMustExist: true });
  try {
    const tables = db
      .prepare(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
      )
      .all() as Array<{ name: string }>;
    const counts: Record<string, number> = {};
    for (const { name } of tables)
      counts[name] = (
        db
          .prepare(`SELECT count(*) AS n FROM "${name.replaceAll('"', '""')}"`)
          .get() as { n: number }
      ).n;
    return counts;
  } finally {
    db.close();
  }
}

/** Evidence files only: the names storage gives (never temporary files). */
function uploadNames(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter(
      (entry) =>
        entry.isFile() && /^[0-9a-f]{32}\.(pdf|jpg|png|heic)$/.test(entry.name)
    )
    .map((entry) => entry.name)
    .sort();
}

/**
 * Writes a backup into `target` (a new or empty directory): a consistent copy
 * of the database taken while it is in use, the uploaded files and a manifest.
 */
export async function createBackup({
  databaseUrl,
  uploadDir,
  target,
}: {
  databaseUrl: string;
  uploadDir: string;
  target: string;
}): Promise<BackupManifest> {
  const source = sqlitePath(databaseUrl);
  // PostgreSQL (issue 8) has its own tools (pg_dump, pg_basebackup): this copy is SQLite's online backup.
  if (!source) throw new BackupError("backup.postgres", { uploadDir });
  if (!fs.existsSync(source))
    throw new BackupError("backup.noDatabase", { path: source });
  if (fs.existsSync(target) && fs.readdirSync(target).length > 0)
    throw new BackupError("backup.targetNotEmpty", { path: target });
  fs.mkdirSync(path.join(target, BACKUP_UPLOADS), {
    recursive: true,
    mode: 0o700,
  });

  const dbCopy = path.join(target, BACKUP_DB);
  const live = new Database(source, { fileMustExist: true, timeout: 5000 });
  try {
    // All pages in one step: SQLite restarts a stepwise backup whenever another
    // connection writes, so under steady writes small steps would never finish.
    // One step reads one snapshot (WAL readers do not block the server's writes).
    await live.backup(dbCopy, { progress: () => 0x7fffffff });
  } finally {
    live.close();
  }
  // The copy carries the live database's WAL flag; a rollback journal keeps it
  // one file (reading it would otherwise leave -wal and -shm files beside it).
  const copy = new Database(dbCopy, { fileMustExist: true });
  try {
    copy.pragma("journal_mode = DELETE");
  } finally {
    copy.close();
  }
  fs.chmodSync(dbCopy, 0o600);
  syncToDisk(dbCopy);
  if (!integrityOk(dbCopy))
    throw new BackupError("backup.integrity", { path: dbCopy });

  const uploads: BackupManifest["uploads"] = [];
  for (const name of uploadNames(uploadDir)) {
    const to = path.join(target, BACKUP_UPLOADS, name);
    await fs.promises.copyFile(
      path.join(uploadDir, name),
      to,
      fs.constants.COPYFILE_EXCL
    );
    syncToDisk(to);
    uploads.push({
      name,
      sha256: await sha256File(to),
      bytes: fs.statSync(to).size,
    });
  }
  syncToDisk(path.join(target, BACKUP_UPLOADS));

  const manifest: BackupManifest = {
    format: "lifeline-backup-1",
    createdAt: new Date().toISOString(),
    database: {
      file: BACKUP_DB,
      sha256: await sha256File(dbCopy),
      bytes: fs.statSync(dbCopy).size,
      tables: tableCounts(dbCopy),
    },
    uploads,
  };
  // Last, and whole or not at all: its presence says the backup is complete.
  const partial = path.join(target, `${MANIFEST}.part`);
  fs.writeFileSync(partial, `${JSON.stringify(manifest, null, 2)}\n`, {
    mode: 0o600,
  });
  syncToDisk(partial);
  fs.renameSync(partial, path.join(target, MANIFEST));
  syncToDisk(target);
  syncToDisk(path.dirname(target));
  return manifest;
}

/** Reads and checks a backup directory: manifest, every hash, the database's integrity. */
export async function verifyBackup(dir: string): Promise<BackupManifest> {
  const manifestFile = path.join(dir, MANIFEST);
  if (!fs.existsSync(manifestFile))
    throw new BackupError("restore.noManifest", { path: dir });
  let manifest: BackupManifest;
  try {
    manifest = JSON.parse(
      fs.readFileSync(manifestFile, "utf8")
    ) as BackupManifest;
  } catch {
    throw new BackupError("restore.badManifest", { path: manifestFile });
  }
  if (manifest.format !== "lifeline-backup-1")
    throw new BackupError("restore.badManifest", { path: manifestFile });
  const dbFile = path.join(dir, BACKUP_DB);
  if (
    !fs.existsSync(dbFile) ||
    (await sha256File(dbFile)) !== manifest.database.sha256
  )
    throw new BackupError("restore.changed", { name: BACKUP_DB });
  for (const file of manifest.uploads) {
    const at = path.join(dir, BACKUP_UPLOADS, path.basename(file.name));
    if (!fs.existsSync(at) || (await sha256File(at)) !== file.sha256)
      throw new BackupError("restore.changed", { name: file.name });
  }
  if (!integrityOk(dbFile))
    throw new BackupError("backup.integrity", { path: dbFile });
  return manifest;
}

/**
 * Puts a checked backup in place of the current database and uploads, which
 * are moved aside to "<name>.before-restore-<time>" (returned), never deleted.
 * The server must be stopped.
 */
export async function restoreBackup({
  databaseUrl,
  uploadDir,
  source,
  now = new Date(),
}: {
  databaseUrl: string;
  uploadDir: string;
  source: string;
  now?: Date;
}): Promise<{ manifest: BackupManifest; movedAside: string[] }> {
  const target = sqlitePath(databaseUrl);
  if (!target) throw new BackupError("restore.postgres", { uploadDir });
  const manifest = await verifyBackup(source);
  const stamp = now.toISOString().replace(/\D/g, "").slice(0, 14);
  const movedAside: string[] = [];
  const moveAside = (file: string) => {
    if (!fs.existsSync(file)) return;
    const aside = `${file}.before-restore-${stamp}`;
    fs.renameSync(file, aside);
    movedAside.push(aside);
  };
  for (const suffix of ["", "-wal", "-shm"]) moveAside(`${target}${suffix}`);
  moveAside(uploadDir);

  fs.mkdirSync(path.dirname(target), { recursive: true });
  await fs.promises.copyFile(
    path.join(source, BACKUP_DB),
    target,
    fs.constants.COPYFILE_EXCL
  );
  fs.chmodSync(target, 0o600);
  syncToDisk(target);
  fs.mkdirSync(uploadDir, { recursive: true, mode: 0o700 });
  for (const file of manifest.uploads) {
    const name = path.basename(file.name);
    await fs.promises.copyFile(
      path.join(source, BACKUP_UPLOADS, name),
      path.join(uploadDir, name),
      fs.constants.COPYFILE_EXCL
    );
    fs.chmodSync(path.join(uploadDir, name), 0o600);
    syncToDisk(path.join(uploadDir, name));
  }
  // The moves aside and the new entries, on disk before the server is started on them.
  for (const dir of new Set([
    path.dirname(target),
    uploadDir,
    path.dirname(uploadDir),
  ]))
    syncToDisk(dir);
  return { manifest, movedAside };
}
