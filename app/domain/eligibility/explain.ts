/**
 * Plain-language explanations of a result, through the i18next namespace "rules"
 * (public/locales/<lng>/rules.json). Key layout, derived from the codes:
 *   reason  '<prog>.<rule>', passed → rules:reason.<prog>.<rule>.passed | .failed
 *   change  '<prog>.<what>'          → rules:change.<prog>.<what>
 *   programme names                  → rules:program.<code>.name / .description
 * Values are interpolated after turning codes into words: `program` into a
 * programme name as used mid-sentence (rules:program.<code>.inSentence), `level`, `disability` and `emergencyType` into their labels,
 * `fields` (comma-separated paths) into a list of questions, booleans into
 * yes/no and null into "unknown". The output is plain text: the caller's i18next
 * must have interpolation.escapeValue off (app/i18n.ts does; React escapes). A
 * per-call option would make i18next rebuild its interpolator on every call.
 */
import type { Amount, Change, Outcome, ProgramCode, Reason, ReasonValue } from './types';

/** Any i18next-like t function (i18n.t, getFixedT(lng), useTranslation().t). */
export type Translate = (key: string, options?: Record<string, unknown>) => string;

const MEMBER_FIELD = /^members\[(\d+)\]\.(\w+)$/;

/** "members[0].monthlyIncome" → "person 1: monthly income" in the reader's language. */
export function describeField(t: Translate, path: string): string {
  const m = MEMBER_FIELD.exec(path);
  if (m) {
    return t('rules:field.member', {
      replace: { person: Number(m[1]) + 1, field: t(`rules:field.members.${m[2]}`) }
    });
  }
  return t(`rules:field.${path}`);
}

export function describeFields(t: Translate, fields: string): string {
  if (!fields) return '';
  return fields
    .split(',')
    .map((f) => describeField(t, f.trim()))
    .join(t('rules:value.list_separator'));
}

function localize(t: Translate, values: Record<string, ReasonValue>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(values)) {
    const v = values[key];
    if (key === 'fields') out[key] = describeFields(t, typeof v === 'string' ? v : '');
    else if (key === 'program') {
      out[key] = typeof v === 'string' ? t(`rules:program.${v}.inSentence`) : t('rules:value.program_undetermined');
    } else if (key === 'level' && typeof v === 'string') out[key] = t(`rules:value.student.${v}`);
    else if (key === 'disability') out[key] = t(`rules:value.disability.${typeof v === 'string' ? v : 'unknown'}`);
    else if (key === 'emergencyType' && typeof v === 'string') out[key] = t(`rules:value.emergency.${v}`);
    else if (typeof v === 'boolean') out[key] = t(v ? 'rules:value.yes' : 'rules:value.no');
    else if (v === null) out[key] = t('rules:value.unknown');
    else out[key] = v;
  }
  return out;
}

function render(t: Translate, key: string, values: Record<string, ReasonValue>): string {
  // values go through `replace` so that no value name can clash with an i18next option
  return t(key, { replace: localize(t, values) });
}

export function reasonKey(reason: Pick<Reason, 'code' | 'passed'>): string {
  return `rules:reason.${reason.code}.${reason.passed ? 'passed' : 'failed'}`;
}

export function changeKey(change: Pick<Change, 'code'>): string {
  return `rules:change.${change.code}`;
}

/** One plain sentence saying which rule was checked, with its figures, and whether it was met. */
export function explainReason(t: Translate, reason: Reason): string {
  return render(t, reasonKey(reason), reason.values);
}

/** One plain sentence saying what would change the answer. */
export function explainChange(t: Translate, change: Change): string {
  return render(t, changeKey(change), change.values);
}

export function programName(t: Translate, program: ProgramCode): string {
  return t(`rules:program.${program}.name`);
}

export function programDescription(t: Translate, program: ProgramCode): string {
  return t(`rules:program.${program}.description`);
}

export function outcomeLabel(t: Translate, outcome: Outcome): string {
  return t(`rules:outcome.${outcome}`);
}

/** "1200 yuan a month" / "每月 1200 元". */
export function amountText(t: Translate, amount: Amount): string {
  return t(`rules:amount.${amount.period}`, {
    replace: { value: amount.value }
  });
}
