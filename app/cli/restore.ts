// `npm run restore -- DIR`: puts a backup made by `npm run backup` in place of
// the database and uploads, after checking it (manifest, hashes, integrity).
// Stop the server first. The current files are moved aside, not deleted.
// Exit 0 on success, 2 for unusable arguments or a backup that fails its checks.
// SQLite only: on PostgreSQL it says to use pg_restore or the pg_basebackup
// copy instead and exits 2 without touching anything.
import path from "node:path";
import { parseArgs } from "node:util";
import { BackupError, restoreBackup } from "~/services/backup.server";
import { config } from "~/services/config.server";
import { fixedT } from "~/services/i18n.server";
import { cliLanguage } from "./cli-language";

const t = fixedT(cliLanguage(), "cli");

async function main(): Promise<number> {
  let positionals: string[];
  try {
    ({ positionals } = parseArgs({ options: {}, strict: true, allowPositionals: true }));
  } catch {
    positionals = [];
  }
  if (positionals.length !== 1) {
    process.stderr.write(`${t("restore.usage")}\n`);
    return 2;
  }
  const cfg = config();
  try {
    const { manifest, movedAside } = await restoreBackup({ databaseUrl: cfg.databaseUrl, uploadDir: cfg.uploadDir, source: path.resolve(positionals[0]) });
    for (const aside of movedAside) process.stderr.write(`${t("restore.movedAside", { path: aside })}\n`);
    process.stderr.write(`${t("restore.done", { createdAt: manifest.createdAt, files: manifest.uploads.length })}\n`);
    return 0;
  } catch (error) {
    if (error instanceof BackupError) {
      process.stderr.write(`${t(error.key, error.values)}\n`);
      return 2;
    }
    process.stderr.write(`${t("restore.failed", { kind: error instanceof Error ? error.name : "error" })}\n`);
    return 1;
  }
}

process.exitCode = await main();
