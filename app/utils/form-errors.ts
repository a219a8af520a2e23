// "Error: " in the page title after a form fails (GOV.UK). Remix's meta only
// sees loader data, so a failing action marks the request's load context and
// the loader that renders the same document reads the mark. With JavaScript
// the loader runs in another request; ErrorSummary then fixes the title.
import type { AppLoadContext } from "@remix-run/node";

const MARK = "lifeline.formHasErrors";

export function markFormErrors(context: AppLoadContext | undefined): void {
  if (context) (context as Record<string, unknown>)[MARK] = true;
}

export function hasFormErrors(context: AppLoadContext | undefined): boolean {
  return Boolean(context && (context as Record<string, unknown>)[MARK]);
}
