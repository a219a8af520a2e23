// One answer from a list: native radios (see choice-group.tsx).
import { ChoiceGroup, type ChoiceOption } from "./choice-group";

export type RadioOption = ChoiceOption;

export interface RadioGroupProps {
  name: string;
  legend: string;
  hint?: string;
  error?: string;
  options: RadioOption[];
  defaultValue?: string | null;
  isQuestion?: boolean;
}

export function RadioGroup({ defaultValue, ...props }: RadioGroupProps) {
  return <ChoiceGroup type="radio" isChecked={(value) => value === defaultValue} {...props} />;
}
