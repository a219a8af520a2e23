// A deterministic departmental person-record file for the outreach benchmark
// and tests: ~2.5 persons per household, a realistic mix (elderly living
// alone, large medical bills, severe disability, people already receiving
// dibao), valid ID numbers, a few names that need CSV quoting, rows shuffled
// so that a household's members are scattered through the file.
import fs from "node:fs";
import { idCheckCharacter } from "~/domain/identity";
import { COLUMNS } from "~/domain/outreach";
import { seededRandom } from "./households";

const SURNAMES = ["王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周"];
const GIVEN = ["伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛"];

function idNumber(random: () => number, age: number): string {
  const year = 2025 - age; // born before the screening dates the bench uses
  const month = String(1 + Math.floor(random() * 12)).padStart(2, "0");
  const day = String(1 + Math.floor(random() * 28)).padStart(2, "0");
  const seq = String(Math.floor(random() * 1000)).padStart(3, "0");
  const first17 = `110101${year}${month}${day}${seq}`;
  return first17 + idCheckCharacter(first17);
}

/** Writes `rows` person rows (plus the header) to `file`; returns the number of households. */
export function writeOutreachCsv(file: string, rows: number, seed = 20261201): number {
  const random = seededRandom(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
  const chance = (p: number) => random() < p;
  const between = (min: number, max: number) => min + Math.floor(random() * (max - min + 1));
  const money = (max: number) => (Math.round(random() * max * 100) / 100).toFixed(random() < 0.5 ? 0 : 2);
  const sizes = [1, 1, 1, 2, 2, 2, 3, 3, 4, 5]; // mean 2.4

  const lines: string[] = [];
  let household = 0;
  while (lines.length < rows) {
    household++;
    const hid = `H${String(household).padStart(7, "0")}`;
    const size = Math.min(pick(sizes), rows - lines.length);
    const elderly = chance(0.25);
    const sick = chance(0.08);
    const dibao = chance(0.1);
    for (let i = 0; i < size; i++) {
      const age = elderly && i < 2 ? between(60, 95) : i < 2 ? between(18, 59) : between(0, 25);
      const disability = chance(0.9) ? "none" : pick(["mild", "moderate", "severe"]);
      const canWork = age >= 16 && age < 65 && disability !== "severe" && chance(0.85);
      const employed = canWork && chance(0.6);
      const student = age >= 6 && age <= 14 ? "compulsory" : age >= 15 && age <= 18 ? "high_school" : "none";
      const income = employed ? money(6000) : age >= 60 ? money(1500) : chance(0.2) ? money(800) : "0";
      const oop = sick ? money(40000) : chance(0.3) ? money(3000) : "0";
      let name = pick(SURNAMES) + pick(GIVEN) + (chance(0.5) ? pick(GIVEN) : "");
      if (chance(0.01)) name = `"${name}, ""${pick(GIVEN)}"""`; // a name with a comma and quotes
      const phone = chance(0.7) ? `13${between(0, 9)}${String(between(0, 99999999)).padStart(8, "0")}` : "";
      const receiving = dibao && i === 0 ? "dibao;medical" : chance(0.03) ? "medical" : "";
      lines.push(
        [hid, `P${household}-${i + 1}`, name, idNumber(random, age), phone, i === 0 ? "self" : i === 1 ? "spouse" : pick(["child", "parent", "grandchild", "sibling"]),
          age, disability, canWork, employed, income, student, oop, receiving].join(","),
      );
    }
  }
  for (let i = lines.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const tmp = lines[i];
    lines[i] = lines[j];
    lines[j] = tmp;
  }
  const fd = fs.openSync(file, "w");
  try {
    fs.writeSync(fd, `${COLUMNS.join(",")}\n`);
    for (let i = 0; i < lines.length; i += 10_000) fs.writeSync(fd, `${lines.slice(i, i + 10_000).join("\n")}\n`);
  } finally {
    fs.closeSync(fd);
  }
  return household;
}
