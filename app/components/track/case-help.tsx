// The case page's ways out: a call back (to the signed-in number unless
// another is given; shown masked, never in full),
// stopping the application, and for the applicant, who else sees the case
// with "stop them seeing my application". A proxy never sees that button.
import { Form, Link } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import type { FieldErrors } from "~/components/form/error-summary";
import { TextField } from "~/components/form/text-field";
import type { TrackCaseData } from "~/routes/track.case";
import { RepeatGuard } from "~/components/form/repeat-guard";

export function CaseHelp({ data, errors, callbackPhone }: { data: TrackCaseData; errors: FieldErrors; callbackPhone?: string }) {
  const { t } = useTranslation("track");
  const proxy = data.proxy;
  return (
    <>
      {data.role === "applicant" && proxy ? (
        <section aria-labelledby="proxy-heading">
          <h2 id="proxy-heading">{t("case.proxyHeading")}</h2>
          {proxy.revoked ? (
            <p>{t("case.proxyRevoked", { name: proxy.name ?? "" })}</p>
          ) : (
            <>
              <p>
                {t("case.proxyWho", {
                  name: proxy.name ?? "",
                  relationship: t(`case.relationship.${proxy.relationship ?? "other"}`),
                  phone: proxy.phone ?? "",
                })}
              </p>
              <p className="hint">{t("case.proxyRevokeHint")}</p>
              <Form method="post">
                <RepeatGuard />
                <button type="submit" name="intent" value="revokeProxy" className="button warning">
                  {t("case.proxyRevoke")}
                </button>
              </Form>
            </>
          )}
        </section>
      ) : null}

      <section aria-labelledby="callback-heading">
        <h2 id="callback-heading">{t("case.callbackHeading")}</h2>
        <p>{t("case.callbackHint")}</p>
        <Form method="post" noValidate>
          <RepeatGuard />
          <input type="hidden" name="intent" value="callback" />
          <TextField
            name="callbackPhone"
            type="tel"
            inputMode="tel"
            autoComplete="tel-national"
            label={t("case.callbackPhone")}
            hint={t("case.callbackPhoneHint", { phone: data.signedInPhone })}
            error={errors.callbackPhone}
            defaultValue={callbackPhone}
          />
          <button type="submit" className="button secondary">
            {t("case.callbackSubmit")}
          </button>
        </Form>
      </section>

      {data.canWithdraw ? (
        <section aria-labelledby="withdraw-heading">
          <h2 id="withdraw-heading">{t("case.withdrawHeading")}</h2>
          <p>{t("case.withdrawHint")}</p>
          <p>
            <Link to="/track/withdraw" className="track-link">
              {t("case.withdrawLink")}
            </Link>
          </p>
        </section>
      ) : null}
    </>
  );
}
