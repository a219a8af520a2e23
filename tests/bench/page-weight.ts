// page_weight: walks the real journey like a browser with scripts off (links,
// plain form posts, a cookie), from / through every /check question to
// /check/answers and its results page, and weighs each page: gzipped HTML plus
// the CSS it links (the 30 KB budget), and, for the record, the JavaScript it
// offers. Forms are filled from a small table keyed by input name (a typical
// two-person household), so the walk follows whatever questions the pages ask.
import zlib from "node:zlib";

export const PAGE_BUDGET_BYTES = 30 * 1024;
const MAX_STEPS = 80;

/** Answers by input name; an array gives one answer per person (/check/person/<n>/…). */
const ANSWERS: Record<string, string | string[]> = {
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

export interface PageWeight {
  path: string;
  status: number;
  htmlGzip: number;
  cssGzip: number;
  /** HTML + CSS, the budgeted weight */
  totalGzip: number;
  jsGzip: number;
}

export interface WalkResult {
  language: string;
  pages: PageWeight[];
  reachedAnswers: boolean;
  problem?: string;
}

const gzipSize = (text: string | Buffer) => zlib.gzipSync(text).length;

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
  for (const m of tag.matchAll(/([:\w-]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+)))?/g)) {
    if (m.index === 0) continue; // the tag name
    out[m[1].toLowerCase()] = decodeEntities(m[2] ?? m[3] ?? m[4] ?? "");
  }
  return out;
}

const tags = (html: string, name: string) => [...html.matchAll(new RegExp(`<${name}\\b[^>]*>`, "gi"))].map((m) => attributes(m[0]));

interface FormInfo {
  action: string;
  fields: Array<{ name: string; type: string; value: string; checked: boolean }>;
  selects: Array<{ name: string; options: string[] }>;
}

/** The question form of a page: a POST form that is not a restart or a language switch. */
function questionForm(html: string): FormInfo | null {
  for (const m of html.matchAll(/<form\b[^>]*>[\s\S]*?<\/form>/gi)) {
    const formTag = attributes(m[0].slice(0, m[0].indexOf(">") + 1));
    if ((formTag.method ?? "get").toLowerCase() !== "post") continue;
    const body = m[0];
    const fields = tags(body, "input")
      .filter((a) => a.name)
      .map((a) => ({ name: a.name, type: (a.type ?? "text").toLowerCase(), value: a.value ?? "", checked: "checked" in a }));
    const buttons = tags(body, "button").filter((a) => a.name);
    if (buttons.some((b) => b.name === "intent" && b.value === "restart")) continue;
    const selects = [...body.matchAll(/<select\b[^>]*>([\s\S]*?)<\/select>/gi)].map((s) => ({
      name: attributes(s[0].slice(0, s[0].indexOf(">") + 1)).name,
      options: tags(s[1], "option").map((o) => o.value ?? ""),
    }));
    return { action: formTag.action ?? "", fields, selects };
  }
  return null;
}

function answerFor(name: string, path: string): string | undefined {
  const answer = ANSWERS[name];
  if (answer === undefined) return undefined;
  if (typeof answer === "string") return answer;
  const person = /\/person\/(\d+)\//.exec(path);
  const index = person ? Number(person[1]) - 1 : 0;
  return answer[Math.min(index, answer.length - 1)];
}

/** Form fields as a browser would send them with our answers filled in. */
function fill(form: FormInfo, path: string): URLSearchParams {
  const body = new URLSearchParams();
  const radios = new Map<string, string[]>();
  for (const f of form.fields) {
    if (f.type === "radio") radios.set(f.name, [...(radios.get(f.name) ?? []), f.value]);
    else if (f.type === "checkbox") {
      if (answerFor(f.name, path) === f.value || (answerFor(f.name, path) === undefined && f.checked)) body.append(f.name, f.value);
    } else if (f.type === "submit" || f.type === "button") continue;
    else if (f.type === "hidden") body.append(f.name, f.value);
    else body.append(f.name, answerFor(f.name, path) ?? (f.value || "1"));
  }
  for (const [name, values] of radios) {
    const wanted = answerFor(name, path);
    body.append(name, wanted !== undefined && values.includes(wanted) ? wanted : values[0]);
  }
  for (const s of form.selects) {
    const wanted = answerFor(s.name, path);
    body.append(s.name, wanted !== undefined && s.options.includes(wanted) ? wanted : s.options[0]);
  }
  return body;
}

class Browser {
  private cookies = new Map<string, string>();
  private assets = new Map<string, number>();

  constructor(
    private readonly base: string,
    private readonly language: string,
  ) {}

  private remember(response: Response) {
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(";");
      const eq = pair.indexOf("=");
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      if (/max-age=0|expires=thu, 01 jan 1970/i.test(line) || value === "") this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  private headers(): Record<string, string> {
    const cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
    return { "accept-language": this.language, accept: "text/html", ...(cookie ? { cookie } : {}) };
  }

  /** GET or POST, following redirects like a browser (a POST becomes a GET). */
  async go(path: string, form?: URLSearchParams): Promise<{ path: string; status: number; html: string }> {
    let url = new URL(path, this.base);
    let init: RequestInit = form
      ? { method: "POST", body: form, headers: { ...this.headers(), "content-type": "application/x-www-form-urlencoded" }, redirect: "manual" }
      : { headers: this.headers(), redirect: "manual" };
    for (let hops = 0; hops < 10; hops++) {
      const response = await fetch(url, init);
      this.remember(response);
      const location = response.headers.get("location");
      if (response.status >= 300 && response.status < 400 && location) {
        url = new URL(location, url);
        init = { headers: this.headers(), redirect: "manual" };
        continue;
      }
      return { path: url.pathname + url.search, status: response.status, html: await response.text() };
    }
    throw new Error(`too many redirects from ${path}`);
  }

  async assetGzip(href: string): Promise<number> {
    const url = new URL(href, this.base).href;
    const known = this.assets.get(url);
    if (known !== undefined) return known;
    const response = await fetch(url);
    const size = response.ok ? gzipSize(Buffer.from(await response.arrayBuffer())) : 0;
    this.assets.set(url, size);
    return size;
  }

  async weigh(page: { path: string; status: number; html: string }): Promise<PageWeight> {
    const links = tags(page.html, "link");
    const css = links.filter((l) => (l.rel ?? "").toLowerCase() === "stylesheet" && l.href).map((l) => l.href);
    const js = [
      ...links.filter((l) => (l.rel ?? "").toLowerCase() === "modulepreload" && l.href).map((l) => l.href),
      ...tags(page.html, "script").filter((s) => s.src).map((s) => s.src),
    ];
    // Remix's inline module script imports the entry and route modules: count those too
    for (const m of page.html.matchAll(/import\s*(?:[\w*{}\s,]+from\s*)?["']([^"']+\.js)["']/g)) js.push(m[1]);
    const htmlGzip = gzipSize(page.html);
    let cssGzip = 0;
    for (const href of new Set(css)) cssGzip += await this.assetGzip(href);
    let jsGzip = 0;
    for (const href of new Set(js)) jsGzip += await this.assetGzip(href);
    return { path: page.path, status: page.status, htmlGzip, cssGzip, totalGzip: htmlGzip + cssGzip, jsGzip };
  }
}

/** Walks /, /check, each question, /check/answers and /check/results in one language. */
export async function walkJourney(base: string, language: string): Promise<WalkResult> {
  const browser = new Browser(base, language);
  const pages: PageWeight[] = [];
  const result: WalkResult = { language, pages, reachedAnswers: false };

  const home = await browser.go("/");
  pages.push(await browser.weigh(home));
  let page = await browser.go("/check");
  pages.push(await browser.weigh(page));
  // The start page offers a link into the questions (a resumed draft would offer a form).
  const start = tags(page.html, "a").find((a) => /^\/check\/(?!answers|results)[\w-]/.test(a.href ?? ""));
  if (!start) return { ...result, problem: "no link from /check to the first question" };
  page = await browser.go(start.href);

  const stuck = new Map<string, number>();
  for (let step = 0; step < MAX_STEPS; step++) {
    if (page.path.startsWith("/check/answers")) break;
    if (page.status === 200 && !pages.some((p) => p.path === page.path)) pages.push(await browser.weigh(page));
    if (page.status >= 500) return { ...result, problem: `${page.status} at ${page.path}` };
    const form = questionForm(page.html);
    if (!form) return { ...result, problem: `no question form at ${page.path}` };
    const tries = (stuck.get(page.path) ?? 0) + 1;
    stuck.set(page.path, tries);
    if (tries > 2) return { ...result, problem: `the answers were refused twice at ${page.path}` };
    page = await browser.go(form.action || page.path, fill(form, page.path));
  }
  if (!page.path.startsWith("/check/answers")) return { ...result, problem: `did not reach /check/answers in ${MAX_STEPS} steps` };
  result.reachedAnswers = true;
  pages.push(await browser.weigh(page));
  const resultsLink = tags(page.html, "a").find((a) => (a.href ?? "").startsWith("/check/results"));
  if (resultsLink) pages.push(await browser.weigh(await browser.go(resultsLink.href)));
  return result;
}
