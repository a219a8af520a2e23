// A translation function that remembers its answers. A list page asks for
// the same few strings (column labels, status names) once per row, and each
// i18next lookup costs several microseconds (it resolves the language
// hierarchy every time): fifty rows made the lookups a third of the page's
// server time. Answers are the same strings, so the markup is too.
//
// Answers are kept for the life of the process per `scope` (the language and
// namespaces of the `t` given: locale files are loaded once, at start). An
// answer depends on nothing but the key and options, so a kept one is exactly
// what t would say again. Plain keys (labels) are few and stay; answers with
// options (counts, page numbers) are many, so that store is emptied when full.
// Never pass personal data (a name, a phone) in options here: kept answers
// stay in the server's memory.
// In the browser nothing is kept beyond a render: there a namespace may still
// be on its way, and a key shown in its place must not stick.
import type { TFunction } from "i18next";

export type MemoT = (key: string, options?: Record<string, unknown>) => string;

/** Bounds on what a process keeps: far above what the pages ask for. */
const PLAIN_MAX = 2000;
const WITH_OPTIONS_MAX = 5000;

interface Kept {
  plain: Map<string, string>;
  withOptions: Map<string, string>;
}

const lasting = new Map<string, Kept>();

/** `scope` names what `t` translates with, e.g. `${i18n.language}|cases,case,rules`. */
export function memoTranslate(t: TFunction, scope: string): MemoT {
  const translate = t as unknown as (key: string, options?: Record<string, unknown>) => string;
  const onServer = typeof document === "undefined";
  let kept = onServer ? lasting.get(scope) : undefined;
  if (!kept) {
    kept = { plain: new Map(), withOptions: new Map() };
    if (onServer) lasting.set(scope, kept);
  }
  const { plain, withOptions } = kept;
  return (key, options) => {
    if (!options) {
      let text = plain.get(key);
      if (text === undefined) {
        text = translate(key);
        if (plain.size < PLAIN_MAX) plain.set(key, text);
      }
      return text;
    }
    const id = `${key}\u0000${JSON.stringify(options)}`;
    let text = withOptions.get(id);
    if (text === undefined) {
      text = translate(key, options);
      if (withOptions.size >= WITH_OPTIONS_MAX) withOptions.clear();
      withOptions.set(id, text);
    }
    return text;
  };
}
