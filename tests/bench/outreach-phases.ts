// Per-phase CPU of the outreach screening in one thread (a profiling aid, not
// part of `npm run bench`): two parts read one after the other, the merge,
// screening, ranking, JSON. Usage: tsx tests/bench/outreach-phases.ts FILE.csv
import fs from "node:fs";
import { OutreachScreening, compareScreened, type RowProblem, type ScreeningPart } from "~/domain/outreach";

const file = process.argv[2];
const AS_OF = "2026-06-01";
const cpu = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
let last = cpu();
const lap = (name: string) => {
  const now = cpu();
  process.stderr.write(`${name}: ${Math.round(now - last)} ms CPU\n`);
  last = now;
};
const bytes = fs.readFileSync(file);
const cut = bytes.indexOf(10, bytes.length >> 1) + 1;
const header = bytes.subarray(0, bytes.indexOf(10) + 1).toString("utf8");
lap("read file");
const parts: ScreeningPart[] = [];
for (const [k, [a, b]] of [[0, cut], [cut, bytes.length]].entries()) {
  const problems: [number, RowProblem][] = [];
  const s = new OutreachScreening(AS_OF, (l, p) => problems.push([l, p]), { expectedRows: Math.ceil((b - a) / 80) });
  if (k > 0) s.push(header);
  const first = s.nextLine;
  const dec = new TextDecoder("utf-8", { fatal: true });
  for (let i = a; i < b; i += 1 << 20) s.push(dec.decode(bytes.subarray(i, Math.min(b, i + (1 << 20))), { stream: true }));
  if (k === 1) s.end();
  parts.push(s.exportPart(problems, first));
  lap(`part ${k}`);
}
const merged = OutreachScreening.fromParts(AS_OF, parts, () => {})!;
lap("merge");
const results = merged.results();
lap(`screen + rank (${results.length})`);
let n = 0;
for (const r of results) n += JSON.stringify(r.reasons).length;
lap(`stringify reasons (${n})`);
const copy = [...results].reverse();
lap("copy");
copy.sort(compareScreened);
lap("sort again (reversed input)");
