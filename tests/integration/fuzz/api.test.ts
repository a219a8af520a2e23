// Fuzzes every JSON API route (app/routes/api.v1.*): eligibility, call-backs,
// the partner API's applications and evidence uploads, and the staff API's
// reads, with arbitrary and nearly-valid JSON, bodies that are not JSON, other
// methods and content types, broken Authorization and Idempotency-Key
// headers, and hostile path params and query strings. Property: 2xx or one of
// 400/401/403/404/405/409/413/415/422/429, every error in the contract's
// {"errors":[{"path","message"}]} shape, never a thrown error. Afterwards the
// database answers and a known-good request still succeeds.
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApiToken } from "~/models/api-token.server";
import { submitApplication } from "~/models/application.server";
import * as eligibility from "~/routes/api.v1.eligibility";
import * as callbacks from "~/routes/api.v1.callbacks";
import * as applications from "~/routes/api.v1.applications";
import * as evidence from "~/routes/api.v1.applications.$reference.evidence";
import * as staffCallbacks from "~/routes/api.v1.staff.callbacks";
import * as staffCase from "~/routes/api.v1.staff.cases.$reference";
import { loader as healthz } from "~/routes/healthz";
import { db } from "~/services/db.server";
import {
  APPLICANT_ID,
  POOR_HOUSEHOLD,
  STAFF_TOKEN,
  applicationBody,
  makeTemporaryUploadDir,
} from "../applications/helpers";
import {
  apiRequest,
  apiRequestOf,
  authorization,
  checkApiAnswer,
  describeApiRequest,
  nearlyValid,
  type ApiRequestSpec,
} from "../../support/fuzz-api";
import {
  filePart,
  hostileString,
  wellFormed,
  type FilePart,
} from "../../support/fuzz-inputs";
import { runHandler, type Handler } from "../../support/fuzz-routes";
import { loadHouseholdJsonSchema } from "../../support/json-schema-reference";
import {
  invalidArbitrary,
  validArbitrary,
} from "../../support/json-schema-arbitraries";
import { pdfFile } from "../../unit/evidence/sample-files";

makeTemporaryUploadDir();

let partner = { id: "", token: "" };
let staffDbToken = { id: "", token: "" };
let reference = "";

beforeAll(async () => {
  partner = await createApiToken(db, {
    name: "Fuzz partner",
    scope: "partner",
  });
  staffDbToken = await createApiToken(db, {
    name: "Fuzz staff tool",
    scope: "staff",
  });
  const made = await submitApplication(db, {
    applicant: { name: "王秀英", idNumber: APPLICANT_ID, phone: "13800138000" },
    household: POOR_HOUSEHOLD,
    programs: ["dibao"],
    channel: "partner",
    actor: `partner:${partner.id}`,
    createdByTokenId: partner.id,
  });
  if (!made.ok) throw new Error(JSON.stringify(made.errors));
  reference = made.reference;
}, 30_000);

const anyToken = authorization([
  () => partner.token,
  () => STAFF_TOKEN,
  () => staffDbToken.token,
]);
const staffTokens = authorization([
  () => STAFF_TOKEN,
  () => staffDbToken.token,
  () => partner.token,
]);
const schema = loadHouseholdJsonSchema();
const RUNS = 40;

/** Statuses seen per route file (to check that the fuzz also got through: some 2xx where a good request is likely). */
const seen = new Map<string, number[]>();
function note(file: string, status: number) {
  seen.set(file, [...(seen.get(file) ?? []), status]);
}

/** Runs the property for one API route. */
async function fuzzApi(
  file: string,
  handler: Handler,
  requests: fc.Arbitrary<ApiRequestSpec>,
  url: fc.Arbitrary<{ url: string; params: Record<string, string> }>,
  numRuns: number
) {
  await fc.assert(
    fc.asyncProperty(requests, url, async (spec, where) => {
      const answer = await runHandler(handler, apiRequestOf(where.url, spec), {
        params: where.params,
      });
      checkApiAnswer(
        answer,
        `${spec.method} ${where.url} (${file}) with ${describeApiRequest(spec)}`
      );
      note(file, answer.status);
    }),
    { numRuns }
  );
}

const fixed = (path: string) =>
  fc.constant({ url: `http://localhost${path}`, params: {} });

/** A reference param: the fixture case most of the time, else hostile. */
const referenceParam = (suffix: string) =>
  fc
    .oneof(
      { arbitrary: fc.constant<string | null>(null), weight: 3 },
      {
        arbitrary: hostileString(["LA-0000-0000", "la-", "CB-0000-0000"]),
        weight: 2,
      }
    )
    .map((given) => {
      const ref = given === null ? reference : wellFormed(given);
      return {
        url: `http://localhost/api/v1/applications/${encodeURIComponent(
          ref
        )}${suffix}`,
        params: { reference: ref },
      };
    });

describe("the JSON API keeps its contract whatever it is sent", () => {
  it("api.v1.eligibility.ts", async () => {
    const body = fc.oneof(
      fc.record(
        {
          asOf: fc.option(
            hostileString([
              "2026-06-01",
              "2027-01-01",
              "2026-02-29",
              "1900-01-01",
            ]),
            { nil: undefined }
          ),
          household: fc.oneof(validArbitrary(schema), invalidArbitrary(schema)),
        },
        { requiredKeys: ["household"] }
      ),
      nearlyValid({ asOf: "2026-06-01", household: POOR_HOUSEHOLD }, [
        "asOf",
        "household",
        "household.members",
        "household.members.0",
        "household.members.0.age",
        "household.members.0.monthlyIncome",
        "household.assets",
        "extra",
      ])
    );
    await fuzzApi(
      "api.v1.eligibility.ts",
      eligibility.action as Handler,
      apiRequest(body, fc.constant(null)),
      fixed("/api/v1/eligibility"),
      RUNS
    );
  });

  it("api.v1.callbacks.ts", async () => {
    const body = nearlyValid(
      {
        phone: "13800138000",
        name: "王秀英",
        language: "zh-CN",
        reason: "需要帮助",
        context: { from: "fuzz" },
      },
      ["phone", "name", "language", "reason", "context", "extra", "__proto__"]
    );
    await fuzzApi(
      "api.v1.callbacks.ts",
      callbacks.action as Handler,
      apiRequest(body, fc.constant(null)),
      fixed("/api/v1/callbacks"),
      RUNS
    );
  });

  it("api.v1.applications.ts", async () => {
    const body = nearlyValid(applicationBody(), [
      "applicant",
      "applicant.name",
      "applicant.idNumber",
      "applicant.phone",
      "applicant.language",
      "onBehalfOf",
      "onBehalfOf.consent",
      "onBehalfOf.relationship",
      "onBehalfOf.phone",
      "household",
      "household.members",
      "household.members.0.age",
      "programs",
      "programs.0",
      "extra",
    ]);
    await fuzzApi(
      "api.v1.applications.ts",
      applications.action as Handler,
      apiRequest(body, anyToken),
      fixed("/api/v1/applications"),
      RUNS
    );
  });

  it("api.v1.applications.$reference.evidence.ts", async () => {
    // Multipart uploads (the usual case), or anything else.
    const goodPdf: FilePart = {
      file: "scan.pdf",
      type: "application/pdf",
      bytes: [...pdfFile()],
      padding: 0,
    };
    const parts = fc.array(
      fc.tuple(
        fc.constantFrom("file", "type", "other", "file"),
        fc.oneof(
          hostileString(["id_card", "income_proof", "other", "authorization"]),
          filePart,
          fc.constant(goodPdf)
        )
      ),
      { maxLength: 5 }
    );
    const uploads = fc.record({
      parts,
      authorization: anyToken,
      language: fc.constantFrom("en", "zh-CN"),
    });
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(uploads, apiRequest(fc.jsonValue(), anyToken)),
        referenceParam("/evidence"),
        async (spec, where) => {
          let request: Request;
          if ("parts" in spec) {
            const form = new FormData();
            for (const [name, value] of spec.parts) {
              if (typeof value === "string") form.append(name, value);
              else {
                const part = value as FilePart;
                const bytes = new Uint8Array(part.bytes.length + part.padding);
                bytes.set(part.bytes);
                form.append(
                  name,
                  new Blob([bytes], { type: part.type }),
                  part.file
                );
              }
            }
            const headers = new Headers({ "Accept-Language": spec.language });
            if (spec.authorization !== null)
              headers.set("Authorization", spec.authorization);
            request = new Request(where.url, {
              method: "POST",
              headers,
              body: form,
            });
          } else request = apiRequestOf(where.url, spec);
          const answer = await runHandler(evidence.action as Handler, request, {
            params: where.params,
          });
          checkApiAnswer(
            answer,
            `POST ${where.url} (evidence) with ${JSON.stringify(spec).slice(
              0,
              400
            )}`
          );
          note("api.v1.applications.$reference.evidence.ts", answer.status);
        }
      ),
      { numRuns: RUNS }
    );
  });

  it("api.v1.staff.callbacks.ts", async () => {
    const query = fc.array(
      fc.tuple(
        fc.constantFrom("status", "status", "page", "x"),
        hostileString(["queued", "claimed", "done"])
      ),
      { maxLength: 3 }
    );
    await fc.assert(
      fc.asyncProperty(
        query,
        staffTokens,
        fc.constantFrom("en", "zh-CN"),
        async (pairs, auth, language) => {
          const search = new URLSearchParams(
            pairs.map(([k, v]) => [k, wellFormed(v)])
          );
          const headers = new Headers({ "Accept-Language": language });
          if (auth !== null) headers.set("Authorization", auth);
          const url = `http://localhost/api/v1/staff/callbacks?${search.toString()}`;
          const answer = await runHandler(
            staffCallbacks.loader as Handler,
            new Request(url, { headers })
          );
          checkApiAnswer(answer, `GET ${url} with ${auth}`);
          note("GET api.v1.staff.callbacks.ts", answer.status);
        }
      ),
      { numRuns: RUNS }
    );
    // Its action only says which method to use.
    await fuzzApi(
      "api.v1.staff.callbacks.ts",
      staffCallbacks.action as Handler,
      apiRequest(fc.jsonValue(), staffTokens),
      fixed("/api/v1/staff/callbacks"),
      RUNS / 4
    );
  });

  it("api.v1.staff.cases.$reference.ts", async () => {
    const where = fc
      .oneof(
        { arbitrary: fc.constant<string | null>(null), weight: 3 },
        { arbitrary: hostileString(["LA-0000-0000", "la-"]), weight: 2 }
      )
      .map((given) => {
        const ref = given === null ? reference : wellFormed(given);
        return {
          url: `http://localhost/api/v1/staff/cases/${encodeURIComponent(ref)}`,
          params: { reference: ref },
        };
      });
    await fc.assert(
      fc.asyncProperty(
        where,
        staffTokens,
        fc.constantFrom("en", "zh-CN"),
        async (at, auth, language) => {
          const headers = new Headers({ "Accept-Language": language });
          if (auth !== null) headers.set("Authorization", auth);
          const answer = await runHandler(
            staffCase.loader as Handler,
            new Request(at.url, { headers }),
            { params: at.params }
          );
          checkApiAnswer(answer, `GET ${at.url} with ${auth}`);
          note("GET api.v1.staff.cases.$reference.ts", answer.status);
        }
      ),
      { numRuns: RUNS }
    );
    if ("action" in staffCase)
      await fuzzApi(
        "api.v1.staff.cases.$reference.ts",
        (staffCase as { action: Handler }).action,
        apiRequest(fc.jsonValue(), staffTokens),
        where,
        RUNS / 4
      );
  });

  it("the POST APIs' loaders answer a GET with 405 in the contract's shape", async () => {
    for (const [name, loader] of [
      ["eligibility", eligibility.loader],
      ["callbacks", callbacks.loader],
      ["applications", applications.loader],
      ["evidence", evidence.loader],
    ] as const) {
      const answer = await runHandler(
        loader as Handler,
        new Request("http://localhost/api/v1/x", {
          headers: { "Accept-Language": "en" },
        }),
        { params: { reference } }
      );
      checkApiAnswer(answer, `GET ${name}`);
      expect(answer.status, name).toBe(405);
    }
  });
});

afterAll(async () => {
  // The fuzz got past the gates (token, method, media type) of each route: some answer came from the checks behind them.
  for (const [file, statuses] of seen) {
    if (
      /staff\.(callbacks|cases\.\$reference)\.ts$/.test(file) &&
      !file.startsWith("GET")
    )
      continue;
    expect(
      statuses.filter((s) => ![401, 403, 405, 413, 415].includes(s)),
      `${file}: ${statuses.join(",")}`
    ).not.toEqual([]);
  }
  const health = await runHandler(
    healthz as Handler,
    new Request("http://localhost/healthz")
  );
  expect(health.status).toBe(200);
  const good = await runHandler(
    eligibility.action as Handler,
    new Request("http://localhost/api/v1/eligibility", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ asOf: "2026-06-01", household: POOR_HOUSEHOLD }),
    })
  );
  expect(good.status).toBe(200);
  expect(
    (JSON.parse(good.text) as { results: unknown[] }).results
  ).toHaveLength(9);
});
