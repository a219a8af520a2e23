/**
 * How the JSON API names a place in a request body (the `path` of each error
 * in `{"errors":[{"path","message"}]}`): a dotted path with [i] for array
 * items, e.g. `household.members[0].age`. The body itself is the empty path "".
 * A key that is not a plain identifier (an unknown field such as "a b") is
 * written in brackets as a JSON string, `household["a b"]`, so every path
 * reads back unambiguously.
 */

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

export function formatFieldPath(segments: ReadonlyArray<string | number>): string {
  let out = "";
  for (const segment of segments) {
    if (typeof segment === "number") out += `[${segment}]`;
    else if (IDENTIFIER.test(segment)) out += out === "" ? segment : `.${segment}`;
    else out += `[${JSON.stringify(segment)}]`;
  }
  return out;
}
