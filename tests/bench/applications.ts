// The issue 3 benchmarks against the real server (a child process in demo
// mode, so the seeded demo partner token works):
//   applicationSubmit  POST /api/v1/applications from 16 concurrent clients,
//                      each request a distinct applicant and Idempotency-Key
//                      (a repeated body would be answered from the idempotency
//                      record, or refused, and measure nothing).
//   evidenceUpload     10 MB documents to POST /api/v1/applications/:ref/evidence,
//                      one after another, while the server's resident memory
//                      is sampled from /proc: it must stay flat (streamed to disk).
// Both return the figures; run.ts prints them.
import crypto from "node:crypto";
import fs from "node:fs";
import { performance } from "node:perf_hooks";
import { idCheckCharacter } from "~/domain/identity";
import type { Household } from "~/domain/eligibility";
import { EVIDENCE_MAX_BYTES } from "~/domain/evidence/types";
import type { RunningServer } from "./servers";

/** prisma/seed.ts DEMO_PARTNER_TOKEN (demo mode only). */
export const DEMO_PARTNER_TOKEN = "ll_demo_partner_token";

const SUBMIT_TARGET_P95_MS = 100;
const SUBMIT_CONNECTIONS = 16;
const SUBMIT_SECONDS = 10;
const SUBMIT_WARMUP_SECONDS = 2;
const SINGLE_CLIENT_SECONDS = 2;

const UPLOAD_TARGET_SECONDS = 1;
const UPLOADS = 5;
const WARM_UP_UPLOADS = 3;
const RSS_SAMPLE_MS = 50;

const round = (x: number, digits = 2) => Number(x.toFixed(digits));

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

/** An older person on a small income: the rules suggest programmes, so the submission is accepted. */
const HOUSEHOLD: Household = {
  members: [{ relation: "self", age: 76, monthlyIncome: 300, disability: "none", canWork: false }],
  assets: { financial: 1000, vehicles: 0, properties: 1 },
};

const BIRTH_FROM = Date.UTC(1940, 0, 1);
const DAY_MS = 86_400_000;

/**
 * The n-th applicant: a valid, distinct GB 11643 number (district 110105, a
 * birth date from 1940 on, a sequence number) and a distinct mobile number.
 * Distinct for n below 1000 × 20000 days, far more than a run makes.
 */
export function applicant(n: number): { name: string; idNumber: string; phone: string; language: "zh-CN" } {
  const birth = new Date(BIRTH_FROM + (Math.floor(n / 1000) % 20_000) * DAY_MS);
  const ymd = birth.toISOString().slice(0, 10).replaceAll("-", "");
  const first17 = `110105${ymd}${String(n % 1000).padStart(3, "0")}`;
  return {
    name: "王秀英",
    idNumber: first17 + idCheckCharacter(first17),
    phone: `139${String(n % 100_000_000).padStart(8, "0")}`,
    language: "zh-CN",
  };
}

function submitBody(n: number): string {
  return JSON.stringify({ applicant: applicant(n), household: HOUSEHOLD, programs: ["dibao", "medical"] });
}

function partnerHeaders(extra: Record<string, string> = {}): Record<string, string> {
  return { authorization: `Bearer ${DEMO_PARTNER_TOKEN}`, "accept-language": "zh-CN", ...extra };
}

interface SubmitTally {
  latencies: number[];
  statuses: Map<number, number>;
  errors: number;
  references: Set<string>;
}

/** `connections` clients, each sending its next distinct application as soon as the last was answered. */
async function submitLoad(
  url: string,
  { seconds, connections }: { seconds: number; connections: number },
  next: () => number,
  tally: SubmitTally | null,
  runId: string,
): Promise<number> {
  const started = performance.now();
  const until = started + seconds * 1000;
  const client = async () => {
    while (performance.now() < until) {
      const n = next();
      const sent = performance.now();
      try {
        const response = await fetch(`${url}/api/v1/applications`, {
          method: "POST",
          headers: partnerHeaders({ "content-type": "application/json", "idempotency-key": `bench-${runId}-${n}` }),
          body: submitBody(n),
        });
        const text = await response.text();
        const ms = performance.now() - sent;
        if (!tally) continue;
        tally.latencies.push(ms);
        tally.statuses.set(response.status, (tally.statuses.get(response.status) ?? 0) + 1);
        if (response.status === 201) tally.references.add((JSON.parse(text) as { reference: string }).reference);
      } catch {
        if (tally) tally.errors++;
      }
    }
  };
  await Promise.all(Array.from({ length: connections }, client));
  return (performance.now() - started) / 1000;
}

export async function applicationSubmit(server: RunningServer): Promise<Record<string, unknown>> {
  const runId = crypto.randomBytes(4).toString("hex");
  let counter = 0;
  const next = () => counter++;
  const newTally = (): SubmitTally => ({ latencies: [], statuses: new Map(), errors: 0, references: new Set() });
  await submitLoad(server.url, { seconds: SUBMIT_WARMUP_SECONDS, connections: SUBMIT_CONNECTIONS }, next, null, runId);
  // One client alone first: the cost of one submission, without waiting behind others.
  const alone = newTally();
  await submitLoad(server.url, { seconds: SINGLE_CLIENT_SECONDS, connections: 1 }, next, alone, runId);
  const aloneSorted = [...alone.latencies].sort((a, b) => a - b);
  const firstMeasured = counter;
  const tally = newTally();
  const cpuBefore = cpuMsOf(server.pid);
  const seconds = await submitLoad(server.url, { seconds: SUBMIT_SECONDS, connections: SUBMIT_CONNECTIONS }, next, tally, runId);
  const serverCpuMs = cpuMsOf(server.pid) - cpuBefore;

  const sorted = [...tally.latencies].sort((a, b) => a - b);
  const requests = sorted.length + tally.errors;
  const non2xx = [...tally.statuses].filter(([status]) => status < 200 || status > 299).reduce((sum, [, count]) => sum + count, 0);
  const p95 = percentile(sorted, 95);
  return {
    name: "application_submit",
    unit: "requests/s",
    value: round(requests / seconds, 1),
    requests,
    p50Ms: round(percentile(sorted, 50)),
    p95Ms: round(p95),
    p99Ms: round(percentile(sorted, 99)),
    maxMs: round(sorted[sorted.length - 1] ?? 0),
    errors: tally.errors,
    non2xx,
    statuses: Object.fromEntries(tally.statuses),
    // every 201 a new case: distinct applicants and keys, so no replays
    distinctReferences: tally.references.size,
    applicantsSent: counter - firstMeasured,
    target: { p95Ms: SUBMIT_TARGET_P95_MS },
    meetsTarget: p95 < SUBMIT_TARGET_P95_MS && tally.errors === 0 && non2xx === 0 && sorted.length > 0,
    connections: SUBMIT_CONNECTIONS,
    durationSeconds: round(seconds, 1),
    // Comparable on a busy machine where latency is not: the server's own CPU
    // (user + system, from /proc) over the measured phase, per request.
    serverCpuMsPerRequest: requests > 0 ? round(serverCpuMs / requests) : null,
    singleClient: {
      requests: aloneSorted.length,
      p50Ms: round(percentile(aloneSorted, 50)),
      p95Ms: round(percentile(aloneSorted, 95)),
      errors: alone.errors + [...alone.statuses].filter(([status]) => status !== 201).reduce((sum, [, count]) => sum + count, 0),
    },
    note: `${SUBMIT_CONNECTIONS} fetch clients in the bench process, each sending its next request when the last is answered, for ${SUBMIT_SECONDS} s after a ${SUBMIT_WARMUP_SECONDS} s warm-up and ${SINGLE_CLIENT_SECONDS} s of one client alone (singleClient); demo partner token; every request a distinct valid applicant (ID number, phone) and Idempotency-Key; latency = request sent to body read`,
  };
}

/** A PDF by its bytes (what the server sniffs): the header, padding, the end marker; exactly `size` bytes. */
export function paddedPdf(size: number): Uint8Array<ArrayBuffer> {
  const encoder = new TextEncoder();
  const tail = encoder.encode("\n%%EOF\n");
  const file = new Uint8Array(new ArrayBuffer(size)).fill(0x20);
  file.set(encoder.encode("%PDF-1.4\n"), 0);
  file.set(tail, size - tail.length);
  return file;
}

/** The process's CPU time so far (user + system) in ms, from /proc (clock ticks of 10 ms). */
function cpuMsOf(pid: number): number {
  // Fields after the command name, which is in parentheses and may hold spaces.
  const fields = fs.readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
  const ticks = Number(fields[11]) + Number(fields[12]); // utime, stime
  return ticks * 10;
}

function kibOf(status: string, field: "VmRSS" | "VmHWM"): number {
  const match = new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(status);
  return match ? Number(match[1]) : 0;
}

function readMemory(pid: number): { rssKib: number; hwmKib: number } {
  const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
  return { rssKib: kibOf(status, "VmRSS"), hwmKib: kibOf(status, "VmHWM") };
}

const mib = (kib: number) => round(kib / 1024, 1);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function createApplication(url: string): Promise<string> {
  const response = await fetch(`${url}/api/v1/applications`, {
    method: "POST",
    headers: partnerHeaders({ "content-type": "application/json" }),
    // far from the numbers applicationSubmit uses
    body: submitBody(9_000_000 + crypto.randomInt(100_000)),
  });
  const text = await response.text();
  if (response.status !== 201) throw new Error(`evidence_upload: could not create an application (${response.status}): ${text.slice(0, 300)}`);
  return (JSON.parse(text) as { reference: string }).reference;
}

async function upload(url: string, reference: string, file: Uint8Array<ArrayBuffer>): Promise<{ seconds: number; status: number }> {
  const form = new FormData();
  form.set("type", "income_proof");
  form.set("file", new Blob([file], { type: "application/pdf" }), "income.pdf");
  const sent = performance.now();
  const response = await fetch(`${url}/api/v1/applications/${encodeURIComponent(reference)}/evidence`, {
    method: "POST",
    headers: partnerHeaders(),
    body: form,
  });
  await response.text();
  return { seconds: (performance.now() - sent) / 1000, status: response.status };
}

export async function evidenceUpload(server: RunningServer): Promise<Record<string, unknown>> {
  const fileBytes = EVIDENCE_MAX_BYTES; // 10 MB, the largest file accepted
  const file = paddedPdf(fileBytes);
  const reference = await createApplication(server.url);
  // A few untimed uploads first: the first ones load code lazily and let V8
  // grow its young generation to its working size (some tens of MB, once);
  // after that, a server that streams stays level and one that buffers the
  // file rises by at least the file's size during each upload.
  const warmUps: { seconds: number; status: number }[] = [];
  for (let i = 0; i < WARM_UP_UPLOADS; i++) warmUps.push(await upload(server.url, reference, file));
  await sleep(500);

  const before = readMemory(server.pid);
  let peakKib = before.rssKib;
  const sampler = setInterval(() => {
    try {
      peakKib = Math.max(peakKib, readMemory(server.pid).rssKib);
    } catch {
      // the server went away; the uploads will say so
    }
  }, RSS_SAMPLE_MS);
  const timings: { seconds: number; status: number }[] = [];
  const rssAfterEach: number[] = [];
  try {
    for (let i = 0; i < UPLOADS; i++) {
      timings.push(await upload(server.url, reference, file));
      rssAfterEach.push(mib(readMemory(server.pid).rssKib));
    }
  } finally {
    clearInterval(sampler);
  }
  const after = readMemory(server.pid);
  peakKib = Math.max(peakKib, after.rssKib);

  const seconds = timings.map((t) => t.seconds).sort((a, b) => a - b);
  const median = seconds[Math.floor(seconds.length / 2)];
  const max = seconds[seconds.length - 1];
  const accepted = timings.filter((t) => t.status === 201).length;
  const growthKib = peakKib - before.rssKib;
  // "Flat": the peak stays well under one file's size above where it started.
  const flat = growthKib * 1024 < fileBytes / 2;
  return {
    name: "evidence_upload",
    unit: `s (median of ${UPLOADS})`,
    value: round(median, 3),
    maxSeconds: round(max, 3),
    seconds: timings.map((t) => round(t.seconds, 3)),
    statuses: timings.map((t) => t.status),
    accepted,
    warmUpSeconds: warmUps.map((t) => round(t.seconds, 3)),
    warmUpStatuses: warmUps.map((t) => t.status),
    fileBytes,
    format: "pdf",
    target: { seconds: UPLOAD_TARGET_SECONDS, rssGrowthBelowBytes: fileBytes / 2 },
    meetsTarget: accepted === UPLOADS && warmUps.every((t) => t.status === 201) && max < UPLOAD_TARGET_SECONDS && flat,
    serverMemory: {
      rssBeforeMiB: mib(before.rssKib),
      rssAfterEachMiB: rssAfterEach,
      rssAfterMiB: mib(after.rssKib),
      rssPeakMiB: mib(peakKib),
      rssPeakGrowthMiB: mib(growthKib),
      hwmBeforeMiB: mib(before.hwmKib),
      hwmAfterMiB: mib(after.hwmKib),
      flat,
    },
    note: `${UPLOADS} uploads one after another (after ${WARM_UP_UPLOADS} untimed) of a ${fileBytes}-byte PDF (header, padding, %%EOF) as multipart file + type, demo partner token, on loopback; time = request sent to answer read; the server child's VmRSS from /proc sampled every ${RSS_SAMPLE_MS} ms during the timed uploads; flat = peak less than half a file above the level before them`,
  };
}
