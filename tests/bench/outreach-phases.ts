// Per-phase CPU of the outreach screening in one thread (a profiling aid, not
// part of `npm run bench`): the parts of a parallel run one after the other
// (each reads the whole file as bytes and keeps its own households), then each
// part's screening + ranking and its JSON reasons, then the same file read
// as text by one screening (the single-thread path).
// Usage: tsx tests/bench/outreach-phases.ts FILE.csv [PARTS]
import fs from "node:fs";
import { OutreachScreening, type RowProblem, type ScreenedHousehold } from "~/domain/outreach";

const file = process.argv[2];
const count = Number(process.argv[3] ?? 2);
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
const headerEnd = bytes.indexOf(10) + 1;
const header = bytes.subarray(0, headerEnd).toString("utf8");
lap("read file");
const parts: OutreachScreening[] = [];
for (let index = 0; index < count; index++) {
  const problems: [number, RowProblem][] = [];
  const s = new OutreachScreening(AS_OF, (l, p) => problems.push([l, p]), { expectedRows: Math.ceil(bytes.length / 80 / count), part: { index, count } });
  s.push(header);
  let at = headerEnd;
  while (at < bytes.length) {
    const end = Math.min(bytes.length, at + (1 << 20));
    at += s.pushBytes(bytes.subarray(at, end), end === bytes.length);
  }
  parts.push(s);
  lap(`part ${index} (${problems.length} problems)`);
}
const results: ScreenedHousehold[][] = [];
for (const [k, s] of parts.entries()) {
  results.push(s.results());
  lap(`part ${k} screen + rank (${results[k].length})`);
}
for (const [k, list] of results.entries()) {
  let n = 0;
  for (const r of list) n += JSON.stringify(r.reasons).length;
  lap(`part ${k} stringify reasons (${n})`);
}
const single = new OutreachScreening(AS_OF, () => {});
const decoder = new TextDecoder("utf-8", { fatal: true });
for (let i = 0; i < bytes.length; i += 1 << 20) single.push(decoder.decode(bytes.subarray(i, Math.min(bytes.length, i + (1 << 20))), { stream: true }));
single.end();
lap("single thread, text: read");
lap(`single thread: screen + rank (${single.results().length})`);
