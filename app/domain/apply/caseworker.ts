// What a caseworker who calls back about an unfinished application sees of
// the draft: the answers so far, without the one-time tokens and with the ID
// number masked (they confirm it with the person on the phone).
import { maskIdNumber } from "~/domain/identity";
import type { ApplyAnswers } from "./answers";

export function answersForCaseworker(answers: ApplyAnswers): Omit<ApplyAnswers, "submissionToken" | "consentCodeId"> {
  const { submissionToken: _token, consentCodeId: _code, ...shown } = answers;
  if (shown.applicant) shown.applicant = { ...shown.applicant, idNumber: maskIdNumber(shown.applicant.idNumber) };
  return shown;
}
