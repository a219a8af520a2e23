// A deterministic, realistic mix of households for the benchmarks: mostly
// complete answers from families of 1–6 people (a few larger), with the ages,
// incomes, savings, illnesses and emergencies the programmes care about, and
// one household in ten with answers left out (the "needs_review" paths).
import type { Household, HouseholdMember } from "~/domain/eligibility";

/** mulberry32: a small seeded PRNG, so every run assesses the same households. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function generateHouseholds(count: number, seed = 20260601): Household[] {
  const random = seededRandom(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
  const chance = (p: number) => random() < p;
  const between = (min: number, max: number) => min + Math.floor(random() * (max - min + 1));
  const money = (max: number) => Math.round(random() * max * 100) / 100;

  const sizes = [1, 1, 2, 2, 2, 3, 3, 3, 4, 4, 5, 6, 8, 12];
  const households: Household[] = [];
  for (let h = 0; h < count; h++) {
    const size = pick(sizes);
    const elderly = chance(0.25);
    const members: HouseholdMember[] = [];
    for (let i = 0; i < size; i++) {
      const age = elderly && i < 2 ? between(60, 95) : i < 2 ? between(18, 59) : between(0, 25);
      const disability = chance(0.85) ? "none" : pick(["mild", "moderate", "severe"] as const);
      const canWork = age >= 16 && age < 65 && disability !== "severe" && chance(0.85);
      const employed = canWork && chance(0.6);
      const student = age >= 6 && age <= 14 ? "compulsory" : age >= 15 && age <= 18 ? "high_school" : age <= 24 && age >= 19 && chance(0.5) ? "higher_education" : "none";
      const monthlyIncome = employed ? money(6000) : age >= 60 ? money(1500) : chance(0.2) ? money(800) : 0;
      members.push({ id: `m${i + 1}`, relation: i === 0 ? "self" : i === 1 ? "spouse" : pick(["child", "parent", "grandchild", "sibling"] as const), age, disability, canWork, employed, student, monthlyIncome });
    }
    const household: Household = {
      members,
      supporters: { hasCapableSupporter: chance(0.5) },
      assets: { financial: chance(0.6) ? money(20000) : money(300000), vehicles: chance(0.85) ? 0 : 1, properties: chance(0.3) ? 0 : chance(0.9) ? 1 : 2 },
      annualMedicalOutOfPocket: chance(0.5) ? 0 : chance(0.85) ? money(20000) : money(120000),
      annualEducationCost: members.some((m) => m.student !== "none") ? money(8000) : 0,
      housing: { ownsHome: chance(0.6), perCapitaArea: money(40) },
      emergency: chance(0.85) ? { type: "none", lossAmount: 0 } : { type: pick(["fire", "accident", "illness", "disaster", "other"] as const), lossAmount: money(60000) },
      disasterAffected: chance(0.05),
    };
    if (chance(0.1)) {
      // a resident who does not know some answers
      delete household.assets;
      delete members[0].monthlyIncome;
      if (chance(0.5)) delete household.supporters;
    }
    households.push(household);
  }
  return households;
}
