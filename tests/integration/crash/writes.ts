// Writes people are told were saved, sent to a real server over HTTP, and the
// ledger of what each client was told: the crash test (sigkill.test.ts) and
// the backup-under-load test check the database against it. Three kinds:
// partner API submissions (POST /api/v1/applications, with an
// Idempotency-Key so an unanswered one can be sent again), call-back requests
// (POST /api/v1/callbacks) and signed Twilio texts (POST /sms/twilio), whose
// acknowledgement promises an answer later. Every request has its own number
// n: its phone numbers, ID number and MessageSid come from n, so no two
// requests share a person and no per-phone limit or duplicate check meets
// another request. Each request comes from its own address (X-Forwarded-For:
// the server trusts it from loopback) for the same reason.
import Database from "better-sqlite3";
import { isDeepStrictEqual } from "node:util";
import { normalizeMobile } from "~/domain/callback";
import { idCheckCharacter } from "~/domain/identity";
import { twilioSignature } from "~/services/twilio-signature.server";

export const STAFF_TOKEN = "crash-token-0123456789";
export const TWILIO_TOKEN = "crash-twilio-auth-token";

export type WriteKind = "application" | "callback" | "text";

/** mulberry32: small, fast and the same on every machine. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const HOUSEHOLD = {
  members: [
    {
      relation: "self",
      age: 76,
      monthlyIncome: 300,
      disability: "none",
      canWork: false,
    },
  ],
  assets: { financial: 1000, vehicles: 0, properties: 1 },
};
const NAMES = [
  "王秀英",
  "李明",
  "张伟",
  "刘芳",
  "陈静",
  "杨洋",
  "赵磊",
  "黄敏",
];

function mobile(prefix: string, n: number): string {
  return `${prefix}${String(n).padStart(8, "0")}`;
}

function e164(raw: string): string {
  const phone = normalizeMobile(raw);
  if (!phone.ok) throw new Error(`not a mobile: ${raw}`);
  return phone.phone;
}

/** A valid ID number per n (n < 20 000): born on the n-th day after 1 January 1940. */
function idNumberFor(n: number): string {
  const born = new Date(Date.UTC(1940, 0, 1) + (n % 20_000) * 86_400_000);
  const first17 = `110105${born
    .toISOString()
    .slice(0, 10)
    .replaceAll("-", "")}002`;
  return first17 + idCheckCharacter(first17);
}

function addressFor(n: number): string {
  return `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`;
}

export interface ApplicationWrite {
  n: number;
  key: string;
  body: {
    applicant: {
      name: string;
      idNumber: string;
      phone: string;
      language: string;
    };
    household: typeof HOUSEHOLD;
    programs: string[];
  };
}
export interface AckedApplication extends ApplicationWrite {
  reference: string;
  status: string;
}
export interface CallbackWrite {
  n: number;
  body: { phone: string; name: string; reason: string; language: string };
}
export interface AckedCallback extends CallbackWrite {
  reference: string;
}
export interface TextWrite {
  n: number;
  sid: string;
  from: string;
  body: string;
}

/** What the clients sent and what they were told. */
export class Ledger {
  readonly runId: string;
  #next = 0;
  /** by Idempotency-Key: every application sent; `acked` holds those answered 201 */
  readonly applicationsSent = new Map<string, ApplicationWrite>();
  readonly applicationsAcked = new Map<string, AckedApplication>();
  readonly callbacksAcked: AckedCallback[] = [];
  readonly textsSent: TextWrite[] = [];
  readonly textsAcked: TextWrite[] = [];
  /** status (or "network") → count, per kind, for the report */
  readonly outcomes: Record<WriteKind, Record<string, number>> = {
    application: {},
    callback: {},
    text: {},
  };
  /** answers other than an acknowledgement, a refusal for load (429) or a dropped connection: a sample */
  readonly unexpected: string[] = [];

  constructor(runId: string) {
    this.runId = runId;
  }

  next(): number {
    return this.#next++;
  }

  count(kind: WriteKind, outcome: string, detail?: string): void {
    this.outcomes[kind][outcome] = (this.outcomes[kind][outcome] ?? 0) + 1;
    if (detail !== undefined && this.unexpected.length < 20)
      this.unexpected.push(`${kind} ${outcome}: ${detail.slice(0, 300)}`);
  }

  acked(): number {
    return (
      this.applicationsAcked.size +
      this.callbacksAcked.length +
      this.textsAcked.length
    );
  }
}

const REQUEST_TIMEOUT_MS = 20_000;

async function post(
  url: string,
  init: { headers: Record<string, string>; body: string }
): Promise<{ status: number; text: string; headers: Headers } | null> {
  try {
    const response = await fetch(url, {
      method: "POST",
      ...init,
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      redirect: "manual",
    });
    // Acknowledged means the client got the whole answer: a body cut off by the crash is no answer.
    const text = await response.text();
    return { status: response.status, text, headers: response.headers };
  } catch {
    return null; // the connection dropped (the server died) or timed out: not acknowledged
  }
}

function isAck(status: number): boolean {
  return status >= 200 && status < 400;
}

function tally(
  ledger: Ledger,
  kind: WriteKind,
  answer: { status: number; text: string } | null
): void {
  if (answer === null) ledger.count(kind, "network");
  else if (isAck(answer.status) || answer.status === 429)
    ledger.count(kind, String(answer.status));
  else ledger.count(kind, String(answer.status), answer.text);
}

export function applicationWrite(ledger: Ledger, n: number): ApplicationWrite {
  return {
    n,
    key: `crash-${ledger.runId}-${n}`,
    body: {
      applicant: {
        name: NAMES[n % NAMES.length],
        idNumber: idNumberFor(n),
        phone: mobile("138", n),
        language: n % 2 ? "en" : "zh-CN",
      },
      household: HOUSEHOLD,
      programs: ["dibao", "medical"],
    },
  };
}

/** POST /api/v1/applications; the acknowledged application (also recorded in the ledger), or null. */
export async function sendApplication(
  baseURL: string,
  ledger: Ledger,
  write: ApplicationWrite
): Promise<AckedApplication | null> {
  ledger.applicationsSent.set(write.key, write);
  const answer = await post(`${baseURL}/api/v1/applications`, {
    headers: {
      Authorization: `Bearer ${STAFF_TOKEN}`,
      "Content-Type": "application/json",
      "Idempotency-Key": write.key,
      "X-Forwarded-For": addressFor(write.n),
    },
    body: JSON.stringify(write.body),
  });
  tally(ledger, "application", answer);
  if (!answer || !isAck(answer.status)) return null;
  const body = JSON.parse(answer.text) as { reference: string; status: string };
  const acked = { ...write, reference: body.reference, status: body.status };
  const before = ledger.applicationsAcked.get(write.key);
  if (before && before.reference !== acked.reference)
    ledger.unexpected.push(
      `application ${write.key}: answered ${before.reference}, then ${acked.reference}`
    );
  ledger.applicationsAcked.set(write.key, acked);
  return acked;
}

export async function sendCallback(
  baseURL: string,
  ledger: Ledger,
  n: number
): Promise<void> {
  const write: CallbackWrite = {
    n,
    body: {
      phone: mobile("137", n),
      name: NAMES[(n + 3) % NAMES.length],
      reason: `crash ${n}: 想问低保怎么申请`,
      language: n % 2 ? "zh-CN" : "en",
    },
  };
  const answer = await post(`${baseURL}/api/v1/callbacks`, {
    headers: {
      "Content-Type": "application/json",
      "X-Forwarded-For": addressFor(n),
    },
    body: JSON.stringify(write.body),
  });
  tally(ledger, "callback", answer);
  if (!answer || !isAck(answer.status)) return;
  ledger.callbacksAcked.push({
    ...write,
    reference: (JSON.parse(answer.text) as { reference: string }).reference,
  });
}

export async function sendText(
  baseURL: string,
  ledger: Ledger,
  n: number
): Promise<void> {
  const write: TextWrite = {
    n,
    sid: `SM${ledger.runId.padStart(16, "0").slice(-16)}${n
      .toString(16)
      .padStart(16, "0")}`,
    from: `+86${mobile("139", n)}`,
    body: n % 3 === 0 ? "hello" : "你好",
  };
  ledger.textsSent.push(write);
  const params = {
    MessageSid: write.sid,
    From: write.from,
    To: "+8610690000",
    Body: write.body,
  };
  const answer = await post(`${baseURL}/sms/twilio`, {
    headers: {
      "Content-Type": "application/x-www-form-urlencoded",
      "X-Twilio-Signature": twilioSignature(
        TWILIO_TOKEN,
        `${baseURL}/sms/twilio`,
        params
      ),
      "X-Forwarded-For": addressFor(n),
    },
    body: new URLSearchParams(params).toString(),
  });
  tally(ledger, "text", answer);
  if (answer && isAck(answer.status)) ledger.textsAcked.push(write);
}

/** The mix of writes: about 40 % applications, 30 % call-backs, 30 % texts. */
export function kindFor(seed: number, n: number): WriteKind {
  const r = rng(seed ^ Math.imul(n + 1, 0x9e3779b1))();
  return r < 0.4 ? "application" : r < 0.7 ? "callback" : "text";
}

/**
 * `clients` clients, each sending one write after another until stop() is
 * called; resolves when every request has its answer (or lost its connection).
 */
export function startLoad(
  baseURL: string,
  ledger: Ledger,
  { seed, clients }: { seed: number; clients: number }
): { stop(): Promise<void> } {
  let stopped = false;
  const client = async () => {
    while (!stopped) {
      const n = ledger.next();
      const kind = kindFor(seed, n);
      if (kind === "application")
        await sendApplication(baseURL, ledger, applicationWrite(ledger, n));
      else if (kind === "callback") await sendCallback(baseURL, ledger, n);
      else await sendText(baseURL, ledger, n);
    }
  };
  const running = Array.from({ length: clients }, client);
  return {
    async stop() {
      stopped = true;
      await Promise.all(running);
    },
  };
}

type Row = Record<string, unknown>;

const WAITING_TEXTS = `SELECT count(*) AS "n" FROM "BotState" WHERE "key" >= 'sms-in:' AND "key" < 'sms-in;'`;

/** Stored texts not answered yet (read beside the running server: WAL lets a reader in). */
export function waitingTexts(dbFile: string): number {
  const db = new Database(dbFile, { readonly: true, fileMustExist: true });
  try {
    return (db.prepare(WAITING_TEXTS).get() as { n: number }).n;
  } finally {
    db.close();
  }
}

/**
 * Everything the clients were told is in the database file, as they were told
 * it; returns the problems found (empty when all is well). `textsAnswered`
 * also checks that each acknowledged text was answered exactly once.
 */
export function checkAcknowledged(
  dbFile: string,
  ledger: Ledger,
  {
    textsAnswered,
    applicationsOnce = false,
    applicationsAcked = [...ledger.applicationsAcked.values()],
    callbacksAcked = ledger.callbacksAcked,
    textsAcked = ledger.textsAcked,
  }: {
    textsAnswered: boolean;
    /** every application sent was finally acknowledged (sent again with its key) and exists exactly once */
    applicationsOnce?: boolean;
    applicationsAcked?: AckedApplication[];
    callbacksAcked?: AckedCallback[];
    textsAcked?: TextWrite[];
  }
): string[] {
  const problems: string[] = [];
  const db = new Database(dbFile, { readonly: true, fileMustExist: true });
  try {
    const integrity = db.prepare("PRAGMA integrity_check").all() as Row[];
    if (integrity.length !== 1 || integrity[0].integrity_check !== "ok")
      problems.push(
        `integrity_check: ${JSON.stringify(integrity).slice(0, 500)}`
      );

    const application = db.prepare(
      `SELECT "reference", "status", "applicantName", "applicantIdNumber", "applicantPhone", "language", "household", "programs" FROM "Application" WHERE "reference" = ?`
    );
    for (const acked of applicationsAcked) {
      const row = application.get(acked.reference) as Row | undefined;
      if (!row) {
        problems.push(
          `application ${acked.reference} (request ${acked.n}) was acknowledged but is missing`
        );
        continue;
      }
      const expected = {
        status: acked.status,
        applicantName: acked.body.applicant.name,
        applicantIdNumber: acked.body.applicant.idNumber,
        applicantPhone: e164(acked.body.applicant.phone),
        language: acked.body.applicant.language,
        household: acked.body.household,
        programs: acked.body.programs,
      };
      const actual = {
        status: row.status,
        applicantName: row.applicantName,
        applicantIdNumber: row.applicantIdNumber,
        applicantPhone: row.applicantPhone,
        language: row.language,
        household: JSON.parse(String(row.household)) as unknown,
        programs: JSON.parse(String(row.programs)) as unknown,
      };
      if (!isDeepStrictEqual(actual, expected))
        problems.push(
          `application ${
            acked.reference
          } differs from what was acknowledged: ${JSON.stringify(
            actual
          )} vs ${JSON.stringify(expected)}`
        );
    }

    if (applicationsOnce) {
      const copies = db.prepare(
        `SELECT count(*) AS "n" FROM "Application" WHERE "applicantIdNumber" = ?`
      );
      for (const sent of ledger.applicationsSent.values()) {
        const { n } = copies.get(sent.body.applicant.idNumber) as { n: number };
        if (n !== 1)
          problems.push(
            `application request ${sent.n} (key ${sent.key}) is stored ${n} times`
          );
        if (!ledger.applicationsAcked.has(sent.key))
          problems.push(
            `application request ${sent.n} was never acknowledged, even when sent again`
          );
      }
    }

    const callback = db.prepare(
      `SELECT "reference", "phone", "name", "reason", "language", "source" FROM "CallbackRequest" WHERE "reference" = ?`
    );
    for (const acked of callbacksAcked) {
      const row = callback.get(acked.reference) as Row | undefined;
      if (!row) {
        problems.push(
          `call-back ${acked.reference} (request ${acked.n}) was acknowledged but is missing`
        );
        continue;
      }
      const expected = {
        reference: acked.reference,
        phone: e164(acked.body.phone),
        name: acked.body.name,
        reason: acked.body.reason,
        language: acked.body.language,
        source: "web_request",
      };
      if (!isDeepStrictEqual({ ...row }, expected))
        problems.push(
          `call-back ${acked.reference} differs: ${JSON.stringify(
            row
          )} vs ${JSON.stringify(expected)}`
        );
    }

    const inbound = db.prepare(
      `SELECT "sid" FROM "InboundMessage" WHERE "sid" = ?`
    );
    const conversation = db.prepare(
      `SELECT "transcript" FROM "Conversation" WHERE "id" = ?`
    );
    const outbox = db.prepare(
      `SELECT "dedupeKey" FROM "OutboxMessage" WHERE "to" = ?`
    );
    for (const text of textsAcked) {
      if (!inbound.get(text.sid))
        problems.push(
          `text ${text.sid} (request ${text.n}) was acknowledged but is not stored`
        );
    }
    if (textsAnswered) {
      const stillWaiting = (db.prepare(WAITING_TEXTS).get() as { n: number }).n;
      if (stillWaiting > 0)
        problems.push(`${stillWaiting} stored texts were never answered`);
      // Every text that was stored (acknowledged or not) is answered exactly once: one
      // resident line in its conversation, and the replies queued once each.
      const acked = new Set(textsAcked.map((t) => t.sid));
      for (const text of ledger.textsSent) {
        const stored = Boolean(inbound.get(text.sid));
        if (!stored) continue;
        const row = conversation.get(`sms:${text.from}`) as Row | undefined;
        const lines = row
          ? (JSON.parse(String(row.transcript)) as Array<{
              from: string;
              text: string;
            }>)
          : [];
        const asked = lines.filter((l) => l.from === "resident");
        const answers = lines.filter((l) => l.from === "bot");
        const queued = (outbox.all(text.from) as Row[]).map((r) =>
          String(r.dedupeKey)
        );
        const label = `text ${text.sid} (request ${text.n}, ${
          acked.has(text.sid) ? "acknowledged" : "stored, not acknowledged"
        })`;
        if (asked.length !== 1 || asked[0].text !== text.body)
          problems.push(`${label}: answered ${asked.length} times`);
        else if (answers.length === 0)
          problems.push(`${label}: no reply in the conversation`);
        else if (
          !isDeepStrictEqual(
            queued.sort(),
            answers.map((_, i) => `bot-reply:${text.sid}:${i}`).sort()
          )
        )
          problems.push(
            `${label}: outbox holds ${JSON.stringify(queued)} for ${
              answers.length
            } replies`
          );
      }
    }
  } finally {
    db.close();
  }
  return problems;
}
