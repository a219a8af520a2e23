// The outreach console's pure helpers: masking names as the rule book says,
// finding the head of the household, reading stored people defensively, and
// the answers an invitation's draft starts with.
import { describe, expect, it } from "vitest";
import { headOfHousehold, invitationAnswers, maskLeadName, maskedPerson, readFlags, readLeadPeople } from "~/domain/leads";

describe("maskLeadName (rule book: public notice masking)", () => {
  it.each([
    ["张三丰", "张*丰"],
    ["张三", "张*"],
    ["欧阳娜娜", "欧*娜"],
    ["Li Lei", "L* L*i"],
    ["Wang Xiuying", "W*g X*g"],
    ["", "*"],
  ])("%s → %s", (name, masked) => {
    expect(maskLeadName(name)).toBe(masked);
  });
});

describe("the people of a lead", () => {
  const people = readLeadPeople(
    JSON.stringify([
      { personId: "2", name: "赵丽", idNumber: "110101195505051234", phone: "", mobile: null, relation: "spouse" },
      { personId: "1", name: "王大明", idNumber: "110101195001011239", phone: "13800138000", mobile: "+8613800138000", relation: "self" },
      "junk",
    ]),
  );

  it("are read defensively: what does not fit is dropped", () => {
    expect(people).toHaveLength(2);
    expect(readLeadPeople("not json")).toEqual([]);
    expect(readLeadPeople('{"a":1}')).toEqual([]);
    expect(readFlags('["likely_dibao",3]')).toEqual(["likely_dibao"]);
    expect(readFlags("oops")).toEqual([]);
  });

  it("the head of the household is the person recorded as self, else the first", () => {
    expect(headOfHousehold(people)?.name).toBe("王大明");
    expect(headOfHousehold([people[0]])?.name).toBe("赵丽");
    expect(headOfHousehold([])).toBeNull();
  });

  it("masked, a person shows no full name, ID number or phone", () => {
    const shown = JSON.stringify(maskedPerson(people[1]));
    expect(shown).not.toMatch(/王大明|110101195001011239|13800138000/);
    expect(maskedPerson(people[1])).toMatchObject({ name: "王*明", idNumber: "110***********1239", phone: "138****8000", relation: "self" });
  });

  it("an invitation's draft starts with the head as applicant, the household and the lead; nothing else", () => {
    const answers = invitationAnswers({ id: "lead-1", household: '{"members":[{"age":70}]}', people: JSON.stringify(people) });
    expect(answers).toEqual({
      forWhom: "self",
      applicant: { name: "王大明", idNumber: "110101195001011239", phone: "+8613800138000" },
      household: { members: [{ age: 70 }] },
      outreachLeadId: "lead-1",
    });
    expect(invitationAnswers({ id: "x", household: "broken", people: "[]" })).toEqual({ forWhom: "self", applicant: { name: "", idNumber: "", phone: "" }, outreachLeadId: "x" });
  });
});
