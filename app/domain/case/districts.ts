// Demo City's districts: the codes stored on an application (answers.district
// in the apply journey, Application.district) and shown on the public notice
// list. The names people read are in namespace "case": district.<code>.
export const DISTRICTS = ["dongcheng", "xicheng", "chaoyang", "haidian", "fengtai", "shijingshan"] as const;
export type District = (typeof DISTRICTS)[number];

export function isDistrict(value: unknown): value is District {
  return typeof value === "string" && (DISTRICTS as readonly string[]).includes(value);
}

/** The locale key of a district's name ("case:district.dongcheng"). */
export function districtKey(code: District): string {
  return `case:district.${code}`;
}
