// Any number of answers from a list: native checkboxes (see form/choice-group.tsx).
import { ChoiceGroup, type ChoiceOption } from "./choice-group";

export type CheckboxOption = ChoiceOption;

interface Props {
  name: string;
  legend: string;
  hint?: string;
  error?: string;
  options: CheckboxOption[];
  checked: readonly string[];
  isQuestion?: boolean;
}

export function Checkboxes({ checked, ...props }: Props) {
  return <ChoiceGroup type="checkbox" isChecked={(value) => checked.includes(value)} {...props} />;
}
