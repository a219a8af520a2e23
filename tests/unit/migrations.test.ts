// A schema change must come with a migration: the newest migration keeps a
// copy of the schema it produces, and it must equal prisma/schema.prisma.
import fs from "node:fs";
import path from "node:path";
import { expect, it } from "vitest";

it("the newest migration matches prisma/schema.prisma", () => {
  const dir = path.resolve("prisma/migrations");
  const newest = fs.readdirSync(dir).filter((d) => /^\d/.test(d)).sort().at(-1);
  expect(newest, "no migrations").toBeTruthy();
  const snapshot = fs.readFileSync(path.join(dir, newest!, "schema.prisma"), "utf8");
  const schema = fs.readFileSync(path.resolve("prisma/schema.prisma"), "utf8");
  expect(schema, "prisma/schema.prisma changed: run `npm run db:migration -- <name>`").toBe(snapshot);
});
