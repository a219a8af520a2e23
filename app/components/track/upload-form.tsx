// "Send more documents": a plain multipart form (type first, then the file,
// so the server knows the type before it stores a byte). Works without
// script. After a refused file it offers a call back (source upload_failed).
import { Form } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import type { FieldErrors } from "~/components/form/error-summary";
import { ErrorMessage } from "~/components/form/error-message";
import { RadioGroup } from "~/components/form/radio-group";
import { RepeatGuard, useOnceToken, withOnceToken } from "~/components/form/repeat-guard";
import { EVIDENCE_TYPES } from "~/domain/case";
import type { TrackCaseData } from "~/routes/track.case";

/** Phones offer "take a photo" or "choose a file" for this list by themselves. */
const ACCEPT = "image/jpeg,image/png,image/heic,image/heif,.heic,.heif,application/pdf,.pdf";

export function UploadForm({ data, errors, uploadFailed }: { data: TrackCaseData; errors: FieldErrors; uploadFailed: boolean }) {
  const { t } = useTranslation(["track", "case"]);
  const firstMissing = data.missing[0]?.type ?? "other";
  const fileError = errors.file;
  // The body is streamed to disk, so the repeat token rides in the URL.
  const once = useOnceToken();
  return (
    <section aria-labelledby="upload-heading">
      <h2 id="upload-heading">{t("case.uploadHeading")}</h2>
      <p>{t("case.uploadHint")}</p>
      <Form method="post" action={withOnceToken("/track/case", once)} encType="multipart/form-data" noValidate>
        <RadioGroup
          name="type"
          legend={t("case.uploadType")}
          error={errors.type}
          defaultValue={firstMissing}
          options={EVIDENCE_TYPES.map((type) => ({ value: type, label: t(`case:evidence.${type}.name`), hint: t(`case:evidence.${type}.hint`) }))}
        />
        <div className={fileError ? "field has-error" : "field"}>
          <label className="label" htmlFor="file">
            {t("case.uploadFile")}
          </label>
          {fileError ? <ErrorMessage id="file-error" message={fileError} /> : null}
          <input
            type="file"
            id="file"
            name="file"
            accept={ACCEPT}
            className="track-file"
            aria-invalid={fileError ? true : undefined}
            aria-describedby={fileError ? "file-error" : undefined}
          />
        </div>
        <button type="submit" className="button">
          {t("case.uploadSubmit")}
        </button>
      </Form>
      {uploadFailed ? (
        <Form method="post" className="notice track-upload-help">
          <RepeatGuard />
          <p>{t("case.uploadFailedHelp")}</p>
          <button type="submit" name="intent" value="uploadCallback" className="button secondary">
            {t("case.uploadFailedCallback")}
          </button>
        </Form>
      ) : null}
    </section>
  );
}
