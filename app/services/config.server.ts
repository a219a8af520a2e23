// Runtime configuration read once from the environment (contract.md,
// "Environment"). Everything else asks this module, never process.env.
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";

export interface Config {
  port: number;
  databaseUrl: string;
  uploadDir: string;
  sessionSecret: string;
  publicUrl: string;
  staffApiToken: string | null;
  demo: boolean;
  production: boolean;
  /** Real SMS through Twilio; any of sid, token, number unset means the phone simulator (see twilioConfigured). */
  twilio: TwilioSettings;
}

export interface TwilioSettings {
  accountSid: string | null;
  authToken: string | null;
  /** the sending number, TWILIO_NUMBER */
  number: string | null;
  /** Twilio's REST base URL, or a local fake in tests (TWILIO_API_URL) */
  apiUrl: string;
}

const DEFAULT_TWILIO_API_URL = "https://api.twilio.com";

/** True when all three Twilio settings are given, so texts really go out. */
export function twilioConfigured(settings: TwilioSettings): settings is TwilioSettings & { accountSid: string; authToken: string; number: string } {
  return Boolean(settings.accountSid && settings.authToken && settings.number);
}

const DEFAULT_DATABASE_URL = "file:./data/app.db";

export function databaseUrl(): string {
  return process.env.DATABASE_URL || DEFAULT_DATABASE_URL;
}

/** The directory the SQLite file lives in (./data by default); secrets generated on first start go there too. */
export function dataDir(): string {
  const url = databaseUrl();
  if (url.startsWith("file:")) return path.dirname(path.resolve(url.slice("file:".length)));
  return path.resolve("data");
}

function readOrCreateSecret(): string {
  const dir = dataDir();
  const file = path.join(dir, "session-secret");
  try {
    return fs.readFileSync(file, "utf8").trim();
  } catch {
    fs.mkdirSync(dir, { recursive: true });
    const secret = crypto.randomBytes(32).toString("hex");
    // wx: if two processes race on first start, the loser reads the winner's secret
    try {
      fs.writeFileSync(file, secret, { flag: "wx", mode: 0o600 });
      return secret;
    } catch {
      return fs.readFileSync(file, "utf8").trim();
    }
  }
}

let cached: Config | null = null;

export function config(): Config {
  if (cached) return cached;
  // Read at run time: the Remix build replaces the literal `process.env.NODE_ENV`.
  const { NODE_ENV } = process.env;
  const production = NODE_ENV === "production";
  const port = Number(process.env.PORT || 3000);
  cached = {
    port,
    databaseUrl: databaseUrl(),
    uploadDir: path.resolve(process.env.UPLOAD_DIR || "./data/uploads"),
    sessionSecret: process.env.SESSION_SECRET || readOrCreateSecret(),
    publicUrl: (process.env.PUBLIC_URL || `http://localhost:${port}`).replace(/\/$/, ""),
    staffApiToken: process.env.STAFF_API_TOKEN || null,
    demo: process.env.DEMO ? process.env.DEMO === "1" || process.env.DEMO === "true" : !production,
    production,
    twilio: {
      accountSid: process.env.TWILIO_ACCOUNT_SID || null,
      authToken: process.env.TWILIO_AUTH_TOKEN || null,
      number: process.env.TWILIO_NUMBER || null,
      apiUrl: (process.env.TWILIO_API_URL || DEFAULT_TWILIO_API_URL).replace(/\/$/, ""),
    },
  };
  return cached;
}

/** Tests change the environment between cases; this forgets the cached reading. */
export function resetConfigForTests(): void {
  cached = null;
}
