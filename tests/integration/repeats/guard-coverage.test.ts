// Every route with an action either guards repeats or is on the list below of
// actions that are repeat-safe by their nature (each says why). A new route
// with an action FAILS this test until it is guarded or listed:
// - page forms: `export function action(args) { return repeatGuarded(...)(args); }` (or onceOnly for an
//   upload) in the route, and <RepeatGuard /> / withOnceToken in its forms;
// - APIs (api.v1.*): an Idempotency-Key (readIdempotencyKey) on each state-changing method.
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const ROUTES = path.resolve("app/routes");

/** Actions that create and send nothing, or whose repeat is harmless by design. */
const REPEAT_SAFE: Record<string, string> = {
  // Saving draft answers: the same answers saved twice leave the same draft.
  "apply.who.tsx": "saves the draft's answers",
  "apply.details.tsx": "saves the draft's answers",
  "apply.household.tsx": "copies the check's household into the draft",
  "apply.programmes.tsx": "saves the chosen programmes",
  "apply._index.tsx": "forgets a submitted draft's cookie (start again)",
  "check.$.tsx": "saves one check answer",
  "check._index.tsx": "starts the check again (deletes the draft)",
  // Sessions: signing in, out or staying signed in twice is the same as once.
  "staff_.login.tsx": "signs in (a second session is harmless; failures are counted on purpose)",
  "staff.logout.tsx": "signs out",
  "staff.session.tsx": "extends the session",
  // APIs that store nothing.
  "api.v1.eligibility.ts": "computes an assessment, stores nothing",
  "api.v1.staff.callbacks.ts": "GET only: its action answers 405",
  "api.v1.staff.cases.$reference.ts": "GET only: its action answers 405",
  // Reads sent as POST (so an ID number never sits in a URL): each look is
  // audited on purpose, and their answers hold personal data, never stored.
  "staff.residents._index.tsx": "finds a resident (a search; each look audited)",
  "staff.residents.export.tsx": "downloads what is held (each download audited)",
  // ADD NATURALLY REPEAT-SAFE ACTIONS HERE (file: why) ↑
};

/** Guarded routes whose forms are rendered by another file. */
const FORMS_ELSEWHERE: Record<string, string[]> = {
  "chat.tsx": ["app/components/chat/chat-window.tsx"],
  "chat_.send.ts": ["app/components/chat/chat-window.tsx"],
  "staff.callbacks.$reference.continue.tsx": ["app/routes/staff.callbacks.$reference.tsx"],
  "staff.cases.$reference_.tasks.$id.tsx": ["app/components/staff/case-tasks.tsx"],
  "track.case.tsx": ["app/components/track/upload-form.tsx", "app/components/track/case-help.tsx"],
  "track.follow-up.tsx": ["app/components/plan/follow-up-form.tsx"],
};

const GUARDS = ["repeatGuarded(", "onceOnly(", "withIdempotency(", "idempotentApiResponse("];

function routeFiles(): Array<{ file: string; source: string }> {
  return fs
    .readdirSync(ROUTES)
    .filter((file) => /\.tsx?$/.test(file))
    .map((file) => ({ file, source: fs.readFileSync(path.join(ROUTES, file), "utf8") }));
}

const hasAction = (source: string) => /export\s+((async\s+)?function\s+action\b|const\s+action\b|\{[^}]*\baction\b[^}]*\})/.test(source);

describe("repeat guard coverage", () => {
  const withActions = routeFiles().filter(({ source }) => hasAction(source));

  it("finds the route files with actions", () => {
    expect(withActions.length).toBeGreaterThan(30);
  });

  it.each(withActions.map(({ file }) => [file]))("%s guards repeats or is listed as repeat-safe", (file) => {
    const { source } = withActions.find((r) => r.file === file)!;
    const guarded = GUARDS.some((g) => source.includes(g));
    if (REPEAT_SAFE[file]) {
      expect(guarded, `${file} is guarded: take it off REPEAT_SAFE`).toBe(false);
      return;
    }
    expect(guarded, `${file} has an action that is neither guarded (repeatGuarded/onceOnly, or Idempotency-Key for APIs) nor listed in REPEAT_SAFE`).toBe(true);
    if (file.startsWith("api.v1.")) {
      expect(source, `${file}: an API takes an Idempotency-Key`).toContain("readIdempotencyKey(");
      return;
    }
    const sources = [source, ...(FORMS_ELSEWHERE[file] ?? []).map((p) => fs.readFileSync(path.resolve(p), "utf8"))].join("\n");
    expect(/<RepeatGuard\b|withOnceToken\(|\[ONCE_FIELD\]/.test(sources), `${file}: its forms carry no repeat token (<RepeatGuard />)`).toBe(true);
  });

  it("no route makes its action or loader by a call at module level", () => {
    // `export const action = repeatGuarded(…)` stays in the browser bundle as a
    // call into an emptied .server module: the page's script throws and never hydrates.
    const offenders = routeFiles()
      .filter(({ source }) => /^export const (action|loader)\s*=\s*[\w.]+\(/m.test(source))
      .map(({ file }) => file);
    expect(offenders).toEqual([]);
  });

  it("lists only route files that exist and have actions", () => {
    const names = new Set(withActions.map((r) => r.file));
    for (const file of [...Object.keys(REPEAT_SAFE), ...Object.keys(FORMS_ELSEWHERE)]) expect(names.has(file), file).toBe(true);
  });

  it("puts a token in every post form of a guarded page route", () => {
    // A form of a guarded route without the token would run unguarded: count them.
    for (const { file, source } of withActions) {
      if (REPEAT_SAFE[file] || file.startsWith("api.v1.") || !source.includes("repeatGuarded(")) continue;
      const forms = source.match(/<(Form|form)\b[^>]*method="post"/g) ?? [];
      const tokens = (source.match(/<RepeatGuard \/>|withOnceToken\(/g) ?? []).length;
      // The track session's "more time / sign out" form is repeat-safe and carries no token on purpose.
      const untokened = file === "track.case.tsx" ? 1 : 0;
      expect(tokens, `${file}: ${forms.length} post forms, ${tokens} tokens`).toBeGreaterThanOrEqual(forms.length - untokened);
    }
  });
});
