// Shared by the case-review tests: cases with known amounts (small: a dibao a
// caseworker may approve; large: above the supervisor threshold), a real
// stored PDF as evidence, and calls of the case routes as a signed-in staff
// member (a thrown Response is the answer, as in Remix).
import { addEvidenceRecord, submitApplication } from "~/models/application.server";
import { action as caseAction, loader as caseLoader } from "~/routes/staff.cases.$reference";
import { db } from "~/services/db.server";
import { storeEvidenceFile } from "~/services/evidence-storage.server";
import { callRoute, staffGet, staffPost, type FormFields, type TestStaffSession } from "../../support/staff";
import { idNumber } from "../applications/helpers";
import type { Household } from "~/domain/eligibility";

/** Fully answered: one adult earning 200 a month → dibao 800 a month (eligible). */
export function household(people: number, income: number): Household {
  return {
    members: Array.from({ length: people }, (_, i) => ({
      relation: i === 0 ? "self" : "child",
      age: i === 0 ? 45 : 10,
      monthlyIncome: i === 0 ? income : 0,
      disability: "none",
      canWork: i === 0,
      employed: false,
      student: "none",
    })),
    supporters: { hasCapableSupporter: false },
    assets: { financial: 0, vehicles: 0, properties: 1 },
    annualMedicalOutOfPocket: 0,
    annualEducationCost: 0,
    housing: { ownsHome: true, perCapitaArea: 30 },
    emergency: { type: "none", lossAmount: 0 },
    disasterAffected: false,
  };
}

/** dibao 800 a month: within a caseworker's limit. */
export const SMALL = household(1, 200);
/** dibao 5000 a month (five people, no income): above the 3000 threshold. */
export const LARGE = household(5, 0);

let sequence = 0;

export interface MadeCase {
  id: string;
  reference: string;
  name: string;
  applicantPhone: string;
  proxyPhone: string | null;
}

/** A submitted case; names and phones differ per call so a leak is visible. */
export async function makeCase(
  options: { name?: string; household?: Household; language?: "zh-CN" | "en"; proxy?: boolean; programs?: string[] } = {},
): Promise<MadeCase> {
  sequence++;
  const n = String(sequence).padStart(4, "0");
  const name = options.name ?? `测试${n}`;
  const applicantPhone = `1370000${n}`;
  const proxyPhone = options.proxy === false ? null : `1360000${n}`;
  const result = await submitApplication(db, {
    applicant: { name, idNumber: idNumber(`1101051949123${n}`), phone: applicantPhone, language: options.language ?? "zh-CN" },
    onBehalfOf: proxyPhone ? { name: `代办${n}`, phone: proxyPhone, relationship: "child", consent: "sms" } : null,
    household: options.household ?? SMALL,
    programs: options.programs ?? ["dibao"],
    channel: "web",
    actor: "resident",
  });
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return { id: result.id, reference: result.reference, name, applicantPhone: `+86${applicantPhone}`, proxyPhone: proxyPhone ? `+86${proxyPhone}` : null };
}

export const PDF_BYTES = Buffer.from("%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n", "latin1");

async function* once(bytes: Uint8Array) {
  yield bytes;
}

/** Stores a real PDF under UPLOAD_DIR and records it against the case. */
export async function addPdf(applicationId: string, type: "id_card" | "household_register" | "income_proof" = "id_card"): Promise<string> {
  const stored = await storeEvidenceFile(once(PDF_BYTES));
  if (!stored.ok) throw new Error(stored.reason);
  const row = await addEvidenceRecord(db, { applicationId, type, stored, actor: "resident" });
  return row.id;
}

export function openCase(session: TestStaffSession | null, reference: string, query = "") {
  return callRoute(caseLoader as never, staffGet(`/staff/cases/${reference}${query}`, session), { params: { reference } });
}

/** POSTs the case page's form; `lng` picks the language of the answer's messages (default zh-CN). */
export function actOnCase(session: TestStaffSession | null, reference: string, fields: FormFields, lng?: "en" | "zh-CN") {
  const url = `/staff/cases/${reference}${lng ? `?lng=${lng}` : ""}`;
  return callRoute(caseAction as never, staffPost(url, session, fields), { params: { reference } });
}

export async function statusOf(reference: string): Promise<string> {
  return (await db.application.findUniqueOrThrow({ where: { reference }, select: { status: true } })).status;
}

export function textsTo(phone: string) {
  return db.outboxMessage.findMany({ where: { to: phone }, orderBy: [{ createdAt: "asc" }, { id: "asc" }], select: { body: true, language: true, dedupeKey: true } });
}

export function auditOf(reference: string, action?: string) {
  return db.auditEntry.findMany({ where: { subjectType: "application", subjectId: reference, ...(action ? { action } : {}) }, orderBy: { seq: "asc" } });
}
