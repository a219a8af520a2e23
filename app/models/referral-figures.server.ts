// Referral figures for the staff dashboard and its CSV (issue 9): referrals
// by state, the share delivered, and residents' satisfaction (average and
// number of answers) by programme in the case's plan, by service, by how the
// case came in (its channel: web, chat, text, with a caseworker, partner,
// outreach) and by how the resident answered (text or web). Counts and averages only: no
// reference, name or comment, so every role with dashboard.view may see them.
import { PROGRAM_CODES, programName, type ProgramCode } from "~/domain/eligibility";
import type { Language } from "~/i18n";
import type { Db } from "~/services/db.server";
import { fixedT } from "~/services/i18n.server";

export const REFERRAL_STATES = ["sent", "accepted", "declined", "delivered"] as const;
export const ANSWER_CHANNELS = ["sms", "web"] as const;
/** Application.channel, in this order on the dashboard. */
export const CASE_CHANNELS = ["web", "chat", "sms", "staff_assisted", "partner", "outreach"] as const;

export interface Satisfaction {
  answers: number;
  /** mean score, one decimal; null without answers */
  average: number | null;
}

export interface ReferralFigures {
  byState: Array<{ state: string; count: number }>;
  total: number;
  delivered: number;
  /** whole percent of all referrals the organisation reported delivered; null without referrals */
  deliveredPercent: number | null;
  /** every answer with a score */
  overall: Satisfaction;
  byProgramme: Array<{ program: string } & Satisfaction>;
  byService: Array<{ serviceId: string; service: string; organisation: string } & Satisfaction>;
  /** by how the case came in (Application.channel); channels with answers only */
  byCaseChannel: Array<{ channel: string } & Satisfaction>;
  /** by how the resident answered */
  byChannel: Array<{ channel: string } & Satisfaction>;
}

class Mean {
  sum = 0;
  n = 0;
  add(score: number) {
    this.sum += score;
    this.n++;
  }
  get value(): Satisfaction {
    return { answers: this.n, average: this.n === 0 ? null : Math.round((this.sum / this.n) * 10) / 10 };
  }
}

function meanOf<K>(map: Map<K, Mean>, key: K): Mean {
  let mean = map.get(key);
  if (!mean) map.set(key, (mean = new Mean()));
  return mean;
}

export async function referralFigures(db: Db): Promise<ReferralFigures> {
  const stateRows = await db.referral.groupBy({ by: ["status"], _count: { _all: true } });
  const counts = new Map(stateRows.map((r) => [r.status, Number(r._count._all)]));
  const byState = REFERRAL_STATES.map((state) => ({ state, count: counts.get(state) ?? 0 }));
  const total = [...counts.values()].reduce((a, b) => a + b, 0);
  const delivered = counts.get("delivered") ?? 0;

  const scored = await db.referral.findMany({
    where: { satisfaction: { not: null } },
    select: {
      satisfaction: true,
      answerChannel: true,
      serviceId: true,
      service: { select: { name: true, organisation: { select: { name: true } } } },
      application: { select: { channel: true, plan: { select: { items: { where: { kind: "programme", removedAt: null }, select: { program: true } } } } } },
    },
  });
  const overall = new Mean();
  const programmes = new Map<string, Mean>();
  const services = new Map<string, Mean>();
  const serviceNames = new Map<string, { service: string; organisation: string }>();
  const channels = new Map<string, Mean>();
  const caseChannels = new Map<string, Mean>();
  for (const row of scored) {
    const score = row.satisfaction as number;
    overall.add(score);
    // A case's answer counts once for each programme of its plan.
    const programs = new Set((row.application.plan?.items ?? []).flatMap((i) => (i.program ? [i.program] : [])));
    for (const program of programs) meanOf(programmes, program).add(score);
    meanOf(services, row.serviceId).add(score);
    serviceNames.set(row.serviceId, { service: row.service.name, organisation: row.service.organisation.name });
    if (row.answerChannel) meanOf(channels, row.answerChannel).add(score);
    meanOf(caseChannels, row.application.channel).add(score);
  }
  const caseChannelOrder = (c: string) => {
    const i = (CASE_CHANNELS as readonly string[]).indexOf(c);
    return i < 0 ? CASE_CHANNELS.length : i;
  };
  const programOrder = (p: string) => {
    const i = (PROGRAM_CODES as readonly string[]).indexOf(p);
    return i < 0 ? PROGRAM_CODES.length : i;
  };
  return {
    byState,
    total,
    delivered,
    deliveredPercent: total === 0 ? null : Math.round((delivered / total) * 100),
    overall: overall.value,
    byProgramme: [...programmes.keys()].sort((a, b) => programOrder(a) - programOrder(b) || a.localeCompare(b)).map((program) => ({ program, ...programmes.get(program)!.value })),
    byService: [...services.keys()]
      .map((serviceId) => ({ serviceId, ...serviceNames.get(serviceId)!, ...services.get(serviceId)!.value }))
      .sort((a, b) => a.service.localeCompare(b.service, "zh-CN") || a.organisation.localeCompare(b.organisation, "zh-CN")),
    byCaseChannel: [...caseChannels.keys()].sort((a, b) => caseChannelOrder(a) - caseChannelOrder(b) || a.localeCompare(b)).map((channel) => ({ channel, ...caseChannels.get(channel)!.value })),
    byChannel: ANSWER_CHANNELS.map((channel) => ({ channel, ...(channels.get(channel)?.value ?? { answers: 0, average: null }) })),
  };
}

/** A programme's name in the reader's language (the code itself for one the rules no longer know). */
export function programmeLabel(lng: Language, program: string): string {
  return (PROGRAM_CODES as readonly string[]).includes(program) ? programName(fixedT(lng, "rules"), program as ProgramCode) : program;
}

export type LabelledReferralFigures = Omit<ReferralFigures, "byProgramme"> & { byProgramme: Array<{ program: string; label: string } & Satisfaction> };

/** The figures with programme names in the reader's language (the dashboard and the CSV). */
export async function labelledReferralFigures(db: Db, lng: Language): Promise<LabelledReferralFigures> {
  const figures = await referralFigures(db);
  return { ...figures, byProgramme: figures.byProgramme.map((row) => ({ ...row, label: programmeLabel(lng, row.program) })) };
}
