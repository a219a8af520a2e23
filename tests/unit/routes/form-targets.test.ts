// A plain <form method="post" action="/x"> posted to a URL whose route file
// is a layout (x.tsx) with an index child (x._index.tsx) goes to the LAYOUT's
// action, not the index's (Remix's rule for index routes): without "?index"
// such a form answers 405 when the layout has no action. This scans every
// literal form action in app/ and checks where it lands.
import fs from "node:fs";
import path from "node:path";

const ROUTES = path.resolve("app/routes");
const routeFiles = new Set(fs.readdirSync(ROUTES));

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === "generated" ? [] : sourceFiles(full);
    return /\.tsx?$/.test(entry.name) ? [full] : [];
  });
}

const hasAction = (file: string) => /export (async )?function action\b|export const action\b/.test(fs.readFileSync(path.join(ROUTES, file), "utf8"));

const targets = sourceFiles(path.resolve("app")).flatMap((file) =>
  [...fs.readFileSync(file, "utf8").matchAll(/<form[^>]*\saction="(\/[^"]*)"/g)].map((m) => ({ file: path.relative(process.cwd(), file), action: m[1] })),
);

it("finds the forms it checks", () => {
  expect(targets.length).toBeGreaterThan(10);
  expect(targets.some((t) => t.action.startsWith("/apply"))).toBe(true);
});

it.each(targets)("$file posts to $action, which has an action to answer it", ({ action }) => {
  const [pathname, search = ""] = action.split("?");
  const key = pathname.replace(/^\//, "").replace(/\//g, ".");
  const layout = `${key}.tsx`;
  const index = `${key === "" ? "" : `${key}.`}_index.tsx`;
  if (routeFiles.has(layout) && routeFiles.has(index) && !new URLSearchParams(search).has("index")) {
    expect(hasAction(layout), `${layout} has no action: post to "${pathname}?index" to reach ${index}`).toBe(true);
  }
});
