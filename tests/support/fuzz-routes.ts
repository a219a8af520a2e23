// Runs fuzzed requests against route modules (called directly, as the other
// integration tests do) and holds each answer to the fuzz suite's property:
// the loader or action answers with a Response or data (never throws anything
// else: Remix would turn that into a 500), the status is 2xx, 3xx or one of the
// 4xx the route is meant to give, never a 5xx, and no answer carries a stack
// trace. `formTarget` describes one page action and `fuzzFormTarget` runs it.
import fc from "fast-check";
import {
  describeBody,
  encodeBody,
  formBody,
  type BodySpec,
} from "./fuzz-inputs";

export type Handler = (args: {
  request: Request;
  params: Record<string, string | undefined>;
  context: Record<string, unknown>;
}) => unknown;

export interface FuzzAnswer {
  status: number;
  location: string | null;
  contentType: string;
  text: string;
  /** what the handler threw that was not a Response */
  thrown?: unknown;
}

const BASE = "http://localhost";

/** What Remix would answer: a returned or thrown Response, data as 200; anything else thrown is recorded (a 500 in production). */
export async function runHandler(
  handler: Handler,
  request: Request,
  {
    params = {},
    context = {},
  }: { params?: Record<string, string>; context?: Record<string, unknown> } = {}
): Promise<FuzzAnswer> {
  let result: unknown;
  try {
    result = await handler({
      request,
      params,
      context: { clientIp: "198.51.100.9", ...context },
    });
  } catch (thrown) {
    if (!(thrown instanceof Response))
      return { status: 500, location: null, contentType: "", text: "", thrown };
    result = thrown;
  }
  if (!(result instanceof Response))
    return {
      status: 200,
      location: null,
      contentType: "data",
      text: JSON.stringify(result ?? null),
    };
  return {
    status: result.status,
    location: result.headers.get("Location"),
    contentType: result.headers.get("Content-Type") ?? "",
    text: await result.text(),
  };
}

/** Node and V8 stack frames, file paths of the app: none of it belongs in an answer. */
const STACK =
  /\n\s+at [^\n]+\(?[^\n]+:\d+:\d+\)?|node_modules\/|\/app\/(routes|models|services)\/[\w.$-]+\.tsx?\b|\bTypeError\b|\bPrismaClient\w*Error\b/;

/** Throws (failing the property) unless the answer is allowed. */
export function checkAnswer(
  answer: FuzzAnswer,
  allowed: readonly number[],
  label: string
): void {
  if (answer.thrown !== undefined) {
    const error = answer.thrown;
    const what =
      error instanceof Error
        ? `${error.name}: ${error.message}\n${error.stack ?? ""}`
        : String(error);
    throw new Error(
      `${label}: threw a non-Response (Remix answers 500): ${what}`
    );
  }
  const ok =
    (answer.status >= 200 && answer.status < 400) ||
    allowed.includes(answer.status);
  if (!ok)
    throw new Error(
      `${label}: status ${
        answer.status
      } is not 2xx/3xx or one of ${allowed.join(
        ", "
      )}; body ${answer.text.slice(0, 300)}`
    );
  if (STACK.test(answer.text))
    throw new Error(
      `${label}: the answer shows a stack trace or internals: ${answer.text.slice(
        0,
        500
      )}`
    );
}

export interface Sender {
  /** the Cookie header */
  cookie?: string;
  /** a CSRF token sent as the form field "csrf" (first, before any fuzzed "csrf") */
  csrf?: string;
  headers?: Record<string, string>;
  context?: Record<string, unknown>;
}

export interface FormTarget {
  /** the route file in app/routes (the coverage test looks for `formTarget("<file>"`) */
  file: string;
  handler: Handler;
  /** the address asked for, given the route params of the run */
  url: (params: Record<string, string>) => string;
  /** route params: fixed, or fuzzed too */
  params?: fc.Arbitrary<Record<string, string>>;
  /** the form's field names */
  fields: readonly string[];
  /** meaningful values (intents, enum values, good inputs) mixed into the hostile ones */
  values?: readonly string[];
  /** the route takes file uploads: more multipart bodies with file parts */
  files?: boolean;
  /** who sends it (a list: each run picks one); loaded once each, lazily, or for every run when `perRun` (a session the action ends) */
  senders: ReadonlyArray<
    readonly [
      name: string,
      get: () => Sender | Promise<Sender>,
      options?: { perRun: boolean }
    ]
  >;
  /** the 4xx statuses this route is meant to give */
  allowed: readonly number[];
  numRuns: number;
}

export function formTarget(
  file: string,
  target: Omit<FormTarget, "file">
): FormTarget {
  return { file, ...target };
}

function withCsrf(spec: BodySpec, csrf: string | undefined): BodySpec {
  if (!csrf) return spec;
  if (spec.kind === "urlencoded")
    return { ...spec, entries: [["csrf", csrf], ...spec.entries] };
  if (spec.kind === "multipart")
    return { ...spec, entries: [["csrf", csrf], ...spec.entries] };
  if (!spec.contentType.toLowerCase().includes("multipart"))
    return { ...spec, body: `csrf=${encodeURIComponent(csrf)}&${spec.body}` };
  return spec;
}

/** A POST with this body as this sender. */
export function formRequest(
  url: string,
  spec: BodySpec,
  sender: Sender,
  lng = "en"
): Request {
  const { body, contentType } = encodeBody(withCsrf(spec, sender.csrf));
  const headers = new Headers(sender.headers);
  if (contentType) headers.set("Content-Type", contentType);
  if (sender.cookie) headers.set("Cookie", sender.cookie);
  headers.set("Accept-Language", lng);
  return new Request(url.startsWith("http") ? url : `${BASE}${url}`, {
    method: "POST",
    headers,
    body,
  });
}

/** What each sender got: "303 /staff/login?…", "400", … (to check that the fuzz got past a gate). */
export type Seen = Map<string, string[]>;

/** Runs the target's property: numRuns fuzzed bodies, each from one of its senders. */
export async function fuzzFormTarget(target: FormTarget): Promise<Seen> {
  const seen: Seen = new Map();
  const loaded = new Map<number, Sender>();
  let runs = 0;
  const sender = async (index: number): Promise<Sender> => {
    const [, get, options] = target.senders[index];
    if (options?.perRun) return get();
    if (!loaded.has(index)) loaded.set(index, await get());
    return loaded.get(index)!;
  };
  await fc.assert(
    fc.asyncProperty(
      formBody(target.fields, target.values, { files: target.files }),
      fc.nat(target.senders.length - 1),
      target.params ?? fc.constant({}),
      fc.constantFrom("en", "zh-CN"),
      async (spec, picked, params, lng) => {
        // The first runs go to each sender in turn (fast-check's small-number
        // bias could leave the last sender unused in a short run), then any.
        const who = runs < target.senders.length ? runs : picked;
        runs += 1;
        const from = await sender(who);
        const url = target.url(params);
        const answer = await runHandler(
          target.handler,
          formRequest(url, spec, from, lng),
          { params, context: from.context }
        );
        checkAnswer(
          answer,
          target.allowed,
          `POST ${url} (${target.file}) as ${
            target.senders[who][0]
          } with ${describeBody(spec)}`
        );
        const name = target.senders[who][0];
        seen.set(name, [
          ...(seen.get(name) ?? []),
          `${answer.status}${answer.location ? ` ${answer.location}` : ""}`,
        ]);
      }
    ),
    { numRuns: target.numRuns }
  );
  return seen;
}
