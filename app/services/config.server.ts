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
  /** How long personal data is kept (RETENTION_* variables; app/services/retention.server.ts deletes what is due). */
  retention: RetentionSettings;
  /** Issue 9: when a referral's resident is asked whether the help arrived, and when reminded once. */
  followUp: FollowUpSettings;
}

export interface FollowUpSettings {
  /** days after a referral is sent (FOLLOW_UP_DAYS, 30) */
  days: number;
  /** days after the question without an answer: one reminder (FOLLOW_UP_REMINDER_DAYS, 7); as long again after it, "no answer" is recorded */
  reminderDays: number;
}

/** FOLLOW_UP_DAYS and FOLLOW_UP_REMINDER_DAYS: whole numbers of days ≥ 1, else the defaults. */
export function followUpFromEnv(env: Record<string, string | undefined> = process.env): FollowUpSettings {
  const days = (name: string, fallback: number) => {
    const raw = env[name]?.trim();
    return raw && /^\d{1,4}$/.test(raw) && Number(raw) >= 1 ? Number(raw) : fallback;
  };
  return { days: days("FOLLOW_UP_DAYS", 30), reminderDays: days("FOLLOW_UP_REMINDER_DAYS", 7) };
}

/** Days each kind of record is kept after it stopped being needed (README: "Retention"). */
export interface RetentionSettings {
  /** rejected and withdrawn cases, counted from the decision or closing (RETENTION_CLOSED_CASE_DAYS, 730) */
  closedCaseDays: number;
  /** files of unfinished applications and files linked to nothing (RETENTION_UPLOAD_DAYS, 30) */
  uploadDays: number;
  /** chat and text conversations and the bot's state, after the last message (RETENTION_CONVERSATION_DAYS, 90) */
  conversationDays: number;
  /** call-back requests done or cancelled, with their calls (RETENTION_CALLBACK_DAYS, 180) */
  callbackDays: number;
  /** the words of texts sent or failed are blanked (RETENTION_OUTBOX_BODY_DAYS, 30) */
  outboxBodyDays: number;
  /** the record of texts sent or failed is deleted (RETENTION_OUTBOX_DAYS, 365) */
  outboxDays: number;
  /** the drop-off funnel's anonymous steps (RETENTION_JOURNEY_DAYS, 365) */
  journeyDays: number;
  /** first answers kept for repeated requests (RETENTION_IDEMPOTENCY_DAYS, 30) */
  idempotencyDays: number;
}

const RETENTION_DEFAULTS: RetentionSettings = {
  closedCaseDays: 730,
  uploadDays: 30,
  conversationDays: 90,
  callbackDays: 180,
  outboxBodyDays: 30,
  outboxDays: 365,
  journeyDays: 365,
  idempotencyDays: 30,
};

const RETENTION_VARIABLES: Readonly<Record<keyof RetentionSettings, string>> = {
  closedCaseDays: "RETENTION_CLOSED_CASE_DAYS",
  uploadDays: "RETENTION_UPLOAD_DAYS",
  conversationDays: "RETENTION_CONVERSATION_DAYS",
  callbackDays: "RETENTION_CALLBACK_DAYS",
  outboxBodyDays: "RETENTION_OUTBOX_BODY_DAYS",
  outboxDays: "RETENTION_OUTBOX_DAYS",
  journeyDays: "RETENTION_JOURNEY_DAYS",
  idempotencyDays: "RETENTION_IDEMPOTENCY_DAYS",
};

/** Each RETENTION_* variable that is a whole number of days ≥ 1; anything else keeps the default (a typo must not delete everything). */
export function retentionFromEnv(env: Record<string, string | undefined> = process.env): RetentionSettings {
  const settings = { ...RETENTION_DEFAULTS };
  for (const [field, name] of Object.entries(RETENTION_VARIABLES) as Array<[keyof RetentionSettings, string]>) {
    const raw = env[name]?.trim();
    if (raw && /^\d{1,6}$/.test(raw) && Number(raw) >= 1) settings[field] = Number(raw);
  }
  return settings;
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
    retention: retentionFromEnv(),
    followUp: followUpFromEnv(),
  };
  return cached;
}

/** Tests change the environment between cases; this forgets the cached reading. */
export function resetConfigForTests(): void {
  cached = null;
}
