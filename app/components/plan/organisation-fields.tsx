// The fields of an organisation (add and change forms): name, district,
// contact person and phone, places. Plain inputs that work without script.
import { useTranslation } from "react-i18next";
import { TextField } from "~/components/form/text-field";
import { SelectField } from "./select-field";

export function OrganisationFields({ errors, values, districts }: { errors: Record<string, string>; values?: Record<string, string>; districts: Array<{ value: string; label: string }> }) {
  const { t } = useTranslation("plan");
  return (
    <>
      <TextField name="name" label={t("admin.name")} error={errors.name} defaultValue={values?.name} autoComplete="off" />
      <SelectField id="district" name="district" label={t("admin.district")} placeholder={t("admin.chooseDistrict")} options={districts} defaultValue={values?.district} error={errors.district} />
      <TextField name="contactName" label={t("admin.contactName")} error={errors.contactName} defaultValue={values?.contactName} autoComplete="off" />
      <TextField name="contactPhone" type="tel" label={t("admin.contactPhone")} error={errors.contactPhone} defaultValue={values?.contactPhone} autoComplete="off" />
      <TextField name="capacity" label={t("admin.capacity")} hint={t("admin.capacityHint")} inputMode="numeric" short error={errors.capacity} defaultValue={values?.capacity} autoComplete="off" />
    </>
  );
}
