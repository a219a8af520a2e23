// Shared by the application tests: valid inputs (ID numbers with a correct
// check character, households the rules answer in known ways), calling route
// functions the way Remix does (a thrown Response is the answer), and a
// private upload directory per test file.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { idCheckCharacter } from "~/domain/identity";
import type { Household } from "~/domain/eligibility";
import { resetConfigForTests } from "~/services/config.server";

export const STAFF_TOKEN = "test-staff-token-0123456789";

export function idNumber(first17: string): string {
  return first17 + idCheckCharacter(first17);
}

/** 王秀英, born 1949-12-31, a woman (sequence 002). */
export const APPLICANT_ID = idNumber("11010519491231002");
/** The same number with its check character changed. */
export const APPLICANT_ID_WRONG_CHECK = APPLICANT_ID.slice(0, 17) + (APPLICANT_ID[17] === "1" ? "2" : "1");

/** An older person on a small income: every programme but employment is eligible or needs a review. */
export const POOR_HOUSEHOLD: Household = {
  members: [{ relation: "self", age: 76, monthlyIncome: 300, disability: "none", canWork: false }],
  assets: { financial: 1000, vehicles: 0, properties: 1 },
};

/** Fully answered and well off: no programme fits. */
export const RICH_HOUSEHOLD: Household = {
  members: [{ relation: "self", age: 40, monthlyIncome: 90000, employed: true, canWork: true, disability: "none", student: "none" }],
  supporters: { hasCapableSupporter: true },
  assets: { financial: 1000000, vehicles: 2, properties: 3 },
  annualMedicalOutOfPocket: 0,
  annualEducationCost: 0,
  housing: { ownsHome: true, perCapitaArea: 100 },
  emergency: { type: "none", lossAmount: 0 },
  disasterAffected: false,
};

export function applicationBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    applicant: { name: "王秀英", idNumber: APPLICANT_ID, phone: "138 0013 8000", language: "zh-CN" },
    onBehalfOf: { name: "李明", phone: "13900139000", relationship: "child", consent: "sms" },
    household: POOR_HOUSEHOLD,
    programs: ["dibao", "medical"],
    ...overrides,
  };
}

export interface Reply {
  status: number;
  headers: Headers;
  body: Record<string, unknown>;
}

async function settle(run: () => Promise<unknown>): Promise<Reply> {
  let response: Response;
  try {
    response = (await run()) as Response;
  } catch (thrown) {
    if (!(thrown instanceof Response)) throw thrown;
    response = thrown;
  }
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

export function callAction(action: (args: ActionFunctionArgs) => Promise<unknown>, request: Request, params: Record<string, string> = {}): Promise<Reply> {
  return settle(() => action({ request, params, context: {} }));
}

export function callLoader(loader: (args: LoaderFunctionArgs) => Promise<unknown>, request: Request, params: Record<string, string> = {}): Promise<Reply> {
  return settle(() => loader({ request, params, context: {} }));
}

export function bearer(token: string): Record<string, string> {
  return { Authorization: `Bearer ${token}` };
}

/** A fresh empty UPLOAD_DIR for this test file (config is re-read). */
export function makeTemporaryUploadDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "lifeline-uploads-"));
  process.env.UPLOAD_DIR = dir;
  resetConfigForTests();
  return dir;
}

/** Every entry in the upload directory, temporary files included. */
export function filesIn(dir: string): string[] {
  return fs.existsSync(dir) ? fs.readdirSync(dir) : [];
}
