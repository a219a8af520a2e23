// Page weight, shared by the budgets suite (tests/e2e/budgets.test.ts) and
// `npm run bench` (page_weight): a small HTTP client that browses like a
// browser with scripts off (links, plain form posts, cookies, redirects
// followed), weighs each page it reaches — gzipped HTML plus the CSS it links
// (the 30 KB budget) and the JavaScript it loads (modulepreload and module
// scripts, each counted once: the 150 KB budget) — and notes which Remix route
// modules rendered it, so a suite can prove every route was weighed. The check
// is walked by filling each question's form from a small table keyed by input
// name (a typical two-person household), so the walk follows whatever
// questions the pages ask.
import zlib from "node:zlib";

/** Gzipped HTML + the CSS it links, per page. */
export const PAGE_BUDGET_BYTES = 30 * 1024;
/** Gzipped JavaScript a page loads (optional to its function: every page works without it). */
export const JS_BUDGET_BYTES = 150 * 1024;
const MAX_STEPS = 80;

export type Answers = Record<string, string | string[]>;

/** Answers by input name; an array gives one answer per person (/check/person/<n>/…). */
export const CHECK_ANSWERS: Answers = {
  forWhom: "self",
  householdSize: "2",
  age: ["42", "12"],
  disability: "none",
  student: ["none", "compulsory"],
  work: "employed",
  income: ["2100", "0"],
  supporter: "no",
  savings: "6000",
  ownsHome: "no",
  floorArea: "30",
  vehicles: "0",
  properties: "0",
  medicalCosts: "1500",
  schoolCosts: "800",
  emergency: "none",
  emergencyLoss: "0",
  disaster: "no",
};

/** A page as the server sent it (after redirects). */
export interface HtmlPage {
  path: string;
  status: number;
  html: string;
}

export interface PageWeight {
  path: string;
  status: number;
  /** <html lang> */
  lang: string;
  htmlGzip: number;
  cssGzip: number;
  /** HTML + CSS, the budgeted weight */
  totalGzip: number;
  jsGzip: number;
  /** Remix route ids that rendered the page ("root", "routes/check.$", …) */
  routes: string[];
}

export interface WalkResult {
  language: string;
  pages: PageWeight[];
  reachedAnswers: boolean;
  problem?: string;
}

export const gzipSize = (body: string | Buffer) => zlib.gzipSync(body).length;

function decodeEntities(text: string): string {
  return text
    .replace(/&quot;/g, '"')
    .replace(/&#x27;|&#39;/g, "'")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&");
}

function attributes(tag: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of tag.matchAll(
    /([:\w-]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+)))?/g
  )) {
    if (m.index === 0) continue; // the tag name
    out[m[1].toLowerCase()] = decodeEntities(m[2] ?? m[3] ?? m[4] ?? "");
  }
  return out;
}

/** The attributes of every <name …> tag in `html`. */
export const tags = (html: string, name: string) =>
  [...html.matchAll(new RegExp(`<${name}\\b[^>]*>`, "gi"))].map((m) =>
    attributes(m[0])
  );

/** The first link whose href matches. */
export function linkTo(html: string, href: RegExp): string | undefined {
  return tags(html, "a").find((a) => href.test(a.href ?? ""))?.href;
}

export interface FormInfo {
  method: string;
  action: string;
  enctype: string;
  fields: Array<{
    name: string;
    type: string;
    value: string;
    checked: boolean;
  }>;
  selects: Array<{ name: string; options: string[] }>;
  textareas: string[];
  buttons: Array<{ name: string; value: string }>;
}

/** Every form in a page, in document order. */
export function formsIn(html: string): FormInfo[] {
  return [...html.matchAll(/<form\b[^>]*>[\s\S]*?<\/form>/gi)].map((m) => {
    const body = m[0];
    const formTag = attributes(body.slice(0, body.indexOf(">") + 1));
    return {
      method: (formTag.method ?? "get").toLowerCase(),
      action: formTag.action ?? "",
      enctype: formTag.enctype ?? "",
      fields: tags(body, "input")
        .filter((a) => a.name)
        .map((a) => ({
          name: a.name,
          type: (a.type ?? "text").toLowerCase(),
          value: a.value ?? "",
          checked: "checked" in a,
        })),
      selects: [...body.matchAll(/<select\b[^>]*>([\s\S]*?)<\/select>/gi)].map(
        (s) => ({
          name: attributes(s[0].slice(0, s[0].indexOf(">") + 1)).name,
          options: tags(s[1], "option").map((o) => o.value ?? ""),
        })
      ),
      textareas: tags(body, "textarea")
        .map((a) => a.name)
        .filter(Boolean),
      buttons: tags(body, "button")
        .filter((a) => a.name)
        .map((a) => ({ name: a.name, value: a.value ?? "" })),
    };
  });
}

/** The question form of a page: a POST form that is not a restart or a language switch. */
export function questionForm(html: string): FormInfo | null {
  return (
    formsIn(html).find(
      (f) =>
        f.method === "post" &&
        !f.buttons.some((b) => b.name === "intent" && b.value === "restart")
    ) ?? null
  );
}

function answerFor(
  answers: Answers,
  name: string,
  path: string
): string | undefined {
  const answer = answers[name];
  if (answer === undefined) return undefined;
  if (typeof answer === "string") return answer;
  const person = /\/person\/(\d+)\//.exec(path);
  const index = person ? Number(person[1]) - 1 : 0;
  return answer[Math.min(index, answer.length - 1)];
}

/**
 * The form's fields as a browser would send them, with `answers` (by input
 * name) filled in; hidden fields (tokens) as given, other text "1", radios
 * the one checked (else the first) and selects their first choice when no
 * answer names one of theirs.
 */
export function fill(
  form: FormInfo,
  path: string,
  answers: Answers = CHECK_ANSWERS
): URLSearchParams {
  const body = new URLSearchParams();
  const radios = new Map<string, string[]>();
  const checked = new Map<string, string>();
  for (const f of form.fields) {
    const wanted = answerFor(answers, f.name, path);
    if (f.type === "radio") {
      radios.set(f.name, [...(radios.get(f.name) ?? []), f.value]);
      if (f.checked) checked.set(f.name, f.value);
    } else if (f.type === "checkbox") {
      if (wanted === f.value || (wanted === undefined && f.checked))
        body.append(f.name, f.value);
    } else if (["submit", "button", "file"].includes(f.type)) continue;
    else if (f.type === "hidden") body.append(f.name, f.value);
    else body.append(f.name, wanted ?? (f.value || "1"));
  }
  for (const [name, values] of radios) {
    const wanted = answerFor(answers, name, path);
    body.append(
      name,
      wanted !== undefined && values.includes(wanted)
        ? wanted
        : checked.get(name) ?? values[0]
    );
  }
  for (const s of form.selects) {
    const wanted = answerFor(answers, s.name, path);
    body.append(
      s.name,
      wanted !== undefined && s.options.includes(wanted) ? wanted : s.options[0]
    );
  }
  for (const name of form.textareas)
    body.append(name, answerFor(answers, name, path) ?? "1");
  return body;
}

/** Remix route ids that rendered a page, from its hydration script. */
export function remixRoutes(html: string): string[] {
  const modules = /__remixRouteModules\s*=\s*\{([^}]*)\}/.exec(html);
  return modules
    ? [...modules[1].matchAll(/"([^"]+)"\s*:/g)].map((m) => m[1])
    : [];
}

/**
 * A browser with scripts off: a cookie jar, redirects followed (a POST
 * becomes a GET), Accept-Language set. Assets are fetched once and their
 * gzipped size remembered.
 */
export class PageClient {
  readonly cookies = new Map<string, string>();
  private assets = new Map<string, number>();

  constructor(readonly base: string, readonly language: string) {}

  /** Another client holding a copy of this one's cookies (from here on they part ways). */
  fork(): PageClient {
    const copy = new PageClient(this.base, this.language);
    for (const [name, value] of this.cookies) copy.cookies.set(name, value);
    return copy;
  }

  private remember(response: Response) {
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(";");
      const eq = pair.indexOf("=");
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      if (/max-age=0|expires=thu, 01 jan 1970/i.test(line) || value === "")
        this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  private headers(extra: Record<string, string> = {}): Record<string, string> {
    const cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
    return {
      "accept-language": this.language,
      accept: "text/html",
      ...(cookie ? { cookie } : {}),
      ...extra,
    };
  }

  /** GET, or POST a form (urlencoded or multipart), following redirects. */
  async go(path: string, form?: URLSearchParams | FormData): Promise<HtmlPage> {
    let url = new URL(path, this.base);
    let init: RequestInit = form
      ? {
          method: "POST",
          body: form,
          headers: this.headers(),
          redirect: "manual",
        }
      : { headers: this.headers(), redirect: "manual" };
    for (let hops = 0; hops < 10; hops++) {
      const response = await fetch(url, init);
      this.remember(response);
      const location = response.headers.get("location");
      if (response.status >= 300 && response.status < 400 && location) {
        await response.arrayBuffer();
        url = new URL(location, url);
        init = { headers: this.headers(), redirect: "manual" };
        continue;
      }
      return {
        path: url.pathname + url.search,
        status: response.status,
        html: await response.text(),
      };
    }
    throw new Error(`too many redirects from ${path}`);
  }

  /** Sends a JSON request with this client's cookies (e.g. a partner API call). */
  async json(
    path: string,
    method: string,
    body: unknown,
    headers: Record<string, string> = {}
  ): Promise<{ status: number; body: unknown }> {
    const response = await fetch(new URL(path, this.base), {
      method,
      body: JSON.stringify(body),
      headers: this.headers({
        accept: "application/json",
        "content-type": "application/json",
        ...headers,
      }),
    });
    this.remember(response);
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : null };
  }

  /** Submits the first POST form of `page` that `pick` accepts, filled from `answers`. */
  submit(
    page: HtmlPage,
    answers: Answers = {},
    pick: (form: FormInfo) => boolean = (f) => f.method === "post"
  ): Promise<HtmlPage> {
    const form = formsIn(page.html).find(pick);
    if (!form) throw new Error(`no such form at ${page.path}`);
    return this.go(form.action || page.path, fill(form, page.path, answers));
  }

  async assetGzip(href: string): Promise<number> {
    const url = new URL(href, this.base).href;
    const known = this.assets.get(url);
    if (known !== undefined) return known;
    const response = await fetch(url);
    if (!response.ok)
      throw new Error(
        `${href}: ${response.status} (was the app rebuilt meanwhile?)`
      );
    const size = gzipSize(Buffer.from(await response.arrayBuffer()));
    this.assets.set(url, size);
    return size;
  }

  async weigh(page: HtmlPage): Promise<PageWeight> {
    const links = tags(page.html, "link");
    const rel = (l: Record<string, string>, name: string) =>
      (l.rel ?? "").toLowerCase() === name && Boolean(l.href);
    const css = links.filter((l) => rel(l, "stylesheet")).map((l) => l.href);
    const js = [
      ...links.filter((l) => rel(l, "modulepreload")).map((l) => l.href),
      ...tags(page.html, "script")
        .filter((s) => s.src)
        .map((s) => s.src),
    ];
    // Remix's inline module script imports the route modules and the entry: count those too.
    for (const m of page.html.matchAll(
      /import\s*(?:[\w*{}\s,]+from\s*|\(\s*)["']([^"']+\.js)["']/g
    ))
      js.push(m[1]);
    const htmlGzip = gzipSize(page.html);
    let cssGzip = 0;
    for (const href of new Set(css)) cssGzip += await this.assetGzip(href);
    let jsGzip = 0;
    for (const href of new Set(js)) jsGzip += await this.assetGzip(href);
    return {
      path: page.path,
      status: page.status,
      lang: tags(page.html, "html")[0]?.lang ?? "",
      htmlGzip,
      cssGzip,
      totalGzip: htmlGzip + cssGzip,
      jsGzip,
      routes: remixRoutes(page.html),
    };
  }
}

export interface CheckWalk {
  /** /check, then each question in the order they were asked, /check/answers, /check/results */
  pages: HtmlPage[];
  reachedAnswers: boolean;
  problem?: string;
}

/**
 * Walks the eligibility check as a resident would: /check, the link to the
 * first question, each question answered from CHECK_ANSWERS, to check your
 * answers and the results. Leaves a finished check draft in the client's cookies.
 */
export async function walkCheck(client: PageClient): Promise<CheckWalk> {
  const pages: HtmlPage[] = [];
  const walk: CheckWalk = { pages, reachedAnswers: false };
  let page = await client.go("/check");
  pages.push(page);
  // The start page offers a link into the questions (a resumed draft would offer a form).
  const start = linkTo(page.html, /^\/check\/(?!answers|results)[\w-]/);
  if (!start)
    return { ...walk, problem: "no link from /check to the first question" };
  page = await client.go(start);

  const stuck = new Map<string, number>();
  for (let step = 0; step < MAX_STEPS; step++) {
    if (page.path.startsWith("/check/answers")) break;
    if (page.status >= 500)
      return { ...walk, problem: `${page.status} at ${page.path}` };
    if (page.status === 200 && !pages.some((p) => p.path === page.path))
      pages.push(page);
    const form = questionForm(page.html);
    if (!form) return { ...walk, problem: `no question form at ${page.path}` };
    const tries = (stuck.get(page.path) ?? 0) + 1;
    stuck.set(page.path, tries);
    if (tries > 2)
      return {
        ...walk,
        problem: `the answers were refused twice at ${page.path}`,
      };
    page = await client.go(form.action || page.path, fill(form, page.path));
  }
  if (!page.path.startsWith("/check/answers"))
    return {
      ...walk,
      problem: `did not reach /check/answers in ${MAX_STEPS} steps`,
    };
  walk.reachedAnswers = true;
  pages.push(page);
  const results = linkTo(page.html, /^\/check\/results/);
  if (results) pages.push(await client.go(results));
  return walk;
}

/** The bench's walk: / and the whole check in one language, each page weighed. */
export async function walkJourney(
  base: string,
  language: string
): Promise<WalkResult> {
  const client = new PageClient(base, language);
  const pages = [await client.weigh(await client.go("/"))];
  const walk = await walkCheck(client);
  for (const page of walk.pages) pages.push(await client.weigh(page));
  return {
    language,
    pages,
    reachedAnswers: walk.reachedAnswers,
    ...(walk.problem ? { problem: walk.problem } : {}),
  };
}
