// Language detection (?lng=, then the `lng` cookie, then Accept-Language) and
// server-side translation. Locale files are read once from public/locales.
import fs from "node:fs";
import path from "node:path";
import { createCookie } from "@remix-run/node";
import { createInstance, type i18n as I18n, type Resource, type TFunction } from "i18next";
import { RemixI18Next } from "remix-i18next/server";
import i18nConfig, { DEFAULT_LANGUAGE, SUPPORTED_LANGUAGES, type Language } from "~/i18n";

export const localeCookie = createCookie("lng", {
  path: "/",
  sameSite: "lax",
  httpOnly: true,
  maxAge: 60 * 60 * 24 * 365,
});

/** Set-Cookie for the chosen language; Secure when the request came over HTTPS. */
export function serializeLocaleCookie(request: Request, lng: Language): Promise<string> {
  return localeCookie.serialize(lng, { secure: new URL(request.url).protocol === "https:" });
}

const localesDir = path.resolve("public", "locales");

function loadResources(): Resource {
  const resources: Resource = {};
  for (const lng of SUPPORTED_LANGUAGES) {
    resources[lng] = {};
    const dir = path.join(localesDir, lng);
    for (const file of fs.readdirSync(dir)) {
      if (!file.endsWith(".json")) continue;
      resources[lng][file.slice(0, -5)] = JSON.parse(fs.readFileSync(path.join(dir, file), "utf8"));
    }
  }
  return resources;
}

export const resources: Resource = loadResources();
export const namespaces: string[] = Object.keys(resources[DEFAULT_LANGUAGE]);

const base: I18n = createInstance();
void base.init({ ...i18nConfig, ns: namespaces, resources, lng: DEFAULT_LANGUAGE, initImmediate: false });

export const remixI18n = new RemixI18Next({
  detection: {
    supportedLanguages: [...SUPPORTED_LANGUAGES],
    fallbackLanguage: DEFAULT_LANGUAGE,
    cookie: localeCookie,
    searchParamKey: "lng",
    order: ["searchParams", "cookie", "header"],
  },
  i18next: { ...i18nConfig, ns: namespaces, resources },
});

// Answers of the detection for requests without ?lng=, by what it reads: the
// lng cookie's value and Accept-Language. Browsers send a handful of distinct
// pairs, so this stays small (and starts afresh if it ever grows large).
const detected = new Map<string, Language>();
const MAX_DETECTED = 1000;

export async function getLanguage(request: Request): Promise<Language> {
  if (request.url.includes("lng=")) return (await remixI18n.getLocale(request)) as Language;
  const cookie = /(?:^|;\s*)lng=([^;]*)/.exec(request.headers.get("Cookie") ?? "")?.[1] ?? "";
  const key = `${cookie}\n${request.headers.get("Accept-Language") ?? ""}`;
  const known = detected.get(key);
  if (known) return known;
  const lng = (await remixI18n.getLocale(request)) as Language;
  if (detected.size >= MAX_DETECTED) detected.clear();
  detected.set(key, lng);
  return lng;
}

/** A translation function fixed to one language (all namespaces loaded). */
export function fixedT(lng: Language, ns: string | string[] = "common"): TFunction {
  return base.getFixedT(lng, ns);
}

export async function translatorFor(request: Request, ns: string | string[] = "common"): Promise<{ lng: Language; t: TFunction }> {
  const lng = await getLanguage(request);
  return { lng, t: fixedT(lng, ns) };
}

/** A fresh i18next instance for rendering one request with react-i18next. */
export function instanceFor(lng: Language): I18n {
  return base.cloneInstance({ lng, initImmediate: false });
}
