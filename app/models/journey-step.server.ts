// Which steps of a journey each anonymous draft reached (JourneyStep): the
// drop-off funnel on the staff dashboard. Only the journey, the draft id and
// the step id are stored: no answers, nothing personal. A step seen twice by
// the same draft is one row (primary key), so reloads do not inflate it.
import type { Db } from "~/services/db.server";

/** Notes that this draft reached this step; a repeat changes nothing. Never fails the page. */
export async function recordJourneyStep(db: Db, { journey, draftId, step }: { journey: string; draftId: string; step: string }, now: Date = new Date()): Promise<void> {
  try {
    await db.journeyStep.upsert({
      where: { journey_draftId_step: { journey, draftId, step } },
      create: { journey, draftId, step, at: now },
      update: {},
    });
  } catch {
    // Two tabs racing on the same first view: the other insert won, which is the row we wanted.
  }
}

/** Drafts that reached each step of a journey (steps with none are left out). */
export async function journeyStepCounts(db: Db, journey: string, since?: Date): Promise<Map<string, number>> {
  const rows = await db.journeyStep.groupBy({
    by: ["step"],
    where: { journey, ...(since ? { at: { gte: since } } : {}) },
    _count: { _all: true },
  });
  return new Map(rows.map((r) => [r.step, r._count._all]));
}
