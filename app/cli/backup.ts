// `npm run backup -- [--out DIR]`: a consistent copy of the database (taken
// while the server runs) and of the uploaded files, with a manifest. Prints
// the directory. Exit 0 on success, 2 for unusable arguments, 1 on failure.
// SQLite only: on PostgreSQL (DATABASE_URL postgresql://…) it says to use
// pg_dump or pg_basebackup and exits 2 without touching anything.
import path from "node:path";
import { parseArgs } from "node:util";
import { BackupError, createBackup } from "~/services/backup.server";
import { config, dataDir } from "~/services/config.server";
import { fixedT } from "~/services/i18n.server";
import { cliLanguage } from "./cli-language";

const t = fixedT(cliLanguage(), "cli");

function stamp(now: Date): string {
  return now.toISOString().replace(/\D/g, "").slice(0, 14);
}

async function main(): Promise<number> {
  let out: string | undefined;
  try {
    ({ values: { out } } = parseArgs({ options: { out: { type: "string" } }, strict: true, allowPositionals: false }));
  } catch {
    process.stderr.write(`${t("backup.usage")}\n`);
    return 2;
  }
  const cfg = config();
  const target = path.resolve(out ?? path.join(dataDir(), "backups", stamp(new Date())));
  try {
    const manifest = await createBackup({ databaseUrl: cfg.databaseUrl, uploadDir: cfg.uploadDir, target });
    const rows = Object.values(manifest.database.tables).reduce((a, b) => a + b, 0);
    process.stdout.write(`${target}\n`);
    process.stderr.write(`${t("backup.done", { rows, files: manifest.uploads.length })}\n`);
    return 0;
  } catch (error) {
    if (error instanceof BackupError) {
      process.stderr.write(`${t(error.key, error.values)}\n`);
      // Exit 2: nothing to retry; the folder or the database (PostgreSQL has its own tools) needs another choice.
      return error.key === "backup.targetNotEmpty" || error.key === "backup.postgres" ? 2 : 1;
    }
    // Never a stack trace with paths or data in it: the kind of failure only.
    process.stderr.write(`${t("backup.failed", { kind: error instanceof Error ? error.name : "error" })}\n`);
    return 1;
  }
}

process.exitCode = await main();
