// /staff/admin/organisations/:id (services.manage, admins): one organisation:
// change its details, stop or start sending it cases, and its services: add
// one (name and the needs it meets), change one, stop or start offering it.
// Each form posts an intent; bad input answers 400 with a message per field
// (a service's fields carry its id, so the error summary links to the right
// input); success redirects back here with a notice. Changes are audited by
// the model (app/models/organisation.server.ts).
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { Checkboxes } from "~/components/form/checkboxes";
import { ErrorSummary, toProblems, type FieldErrors } from "~/components/form/error-summary";
import { RepeatGuard } from "~/components/form/repeat-guard";
import { TextField } from "~/components/form/text-field";
import { OrganisationFields } from "~/components/plan/organisation-fields";
import { CsrfInput } from "~/components/staff/csrf-input";
import { DISTRICTS } from "~/domain/case/districts";
import { checkOrganisation, checkService, NEED_CODES } from "~/domain/plan";
import { catalogueErrors } from "~/domain/plan/catalogue-errors";
import { addService, getOrganisation, setOrganisationActive, setServiceActive, updateOrganisation, updateService } from "~/models/organisation.server";
import { db } from "~/services/db.server";
import { readForm } from "~/services/form-body.server";
import { translatorFor } from "~/services/i18n.server";
import { repeatGuarded } from "~/services/idempotency.server";
import { requireStaff, requireStaffAction, staffActor } from "~/services/staff-session.server";
import { hasFormErrors, markFormErrors } from "~/utils/form-errors";
import { pageTitle } from "~/utils/page-title";

export const handle = { i18n: ["common", "staff", "plan", "case"] };

const NO_STORE = { "Cache-Control": "private, no-store" };
const DONE = ["added", "saved", "deactivated", "activated", "serviceAdded", "serviceSaved", "serviceDeactivated", "serviceActivated"] as const;
type Done = (typeof DONE)[number];

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  await requireStaff(request, "services.manage");
  const { t } = await translatorFor(request, ["plan", "case", "common"]);
  const organisation = await getOrganisation(db, params.id ?? "");
  if (!organisation) throw new Response(null, { status: 404 });
  const done = new URL(request.url).searchParams.get("done");
  return json(
    {
      organisation: {
        id: organisation.id,
        name: organisation.name,
        active: organisation.active,
        room: t("plan:admin.room", { open: organisation.openReferrals, capacity: organisation.capacity }),
        values: {
          name: organisation.name,
          district: organisation.district,
          contactName: organisation.contactName,
          contactPhone: organisation.contactPhone,
          capacity: String(organisation.capacity),
        },
        services: organisation.services,
      },
      districts: DISTRICTS.map((d) => ({ value: d, label: t(`case:district.${d}`) })),
      needs: NEED_CODES.map((n) => ({ value: n, label: t(`plan:need.${n}.name`) })),
      done: (DONE as readonly string[]).includes(done ?? "") ? (done as Done) : null,
      pageTitle: pageTitle(t, organisation.name, hasFormErrors(context)),
    },
    { headers: NO_STORE },
  );
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.pageTitle ?? "" }];

type Answer = { intent: string; errors: FieldErrors; values?: Record<string, string>; serviceId?: string; needs?: string[]; message?: string };

// A repeat of one form (double click, resend) gets the first answer: app/services/idempotency.server.ts.
// A function, not `const action = repeatGuarded(…)`: a call at module level would stay in the
// browser bundle, where the .server module is empty, and stop the page from hydrating.
export function action(args: Parameters<typeof guardedAction>[0]) {
  return repeatGuarded("staff.admin.organisations.item", guardedAction)(args);
}

async function guardedAction({ request, params, context }: ActionFunctionArgs) {
  const form = await readForm(request);
  const ctx = await requireStaffAction(request, form, "services.manage");
  const { t } = await translatorFor(request, ["plan", "common"]);
  const organisation = await getOrganisation(db, params.id ?? "");
  if (!organisation) throw new Response(null, { status: 404 });
  const id = organisation.id;
  const who = staffActor(ctx);
  const intent = String(form.get("intent") ?? "");
  const back = (done: Done) => redirect(`/staff/admin/organisations/${id}?done=${done}`, { status: 303, headers: NO_STORE });
  const invalid = (body: Answer) => {
    markFormErrors(context);
    return json<Answer>(body, { status: 400, headers: NO_STORE });
  };
  const str = (name: string) => {
    const v = form.get(name);
    return typeof v === "string" ? v : "";
  };

  switch (intent) {
    case "save": {
      const input = Object.fromEntries(["name", "district", "contactName", "contactPhone", "capacity"].map((k) => [k, str(k)]));
      const checked = checkOrganisation(input);
      if (!checked.ok) return invalid({ intent, errors: catalogueErrors(t, checked.errors), values: input });
      await updateOrganisation(db, id, checked.value, who);
      return back("saved");
    }
    case "deactivate":
    case "activate": {
      await setOrganisationActive(db, id, intent === "activate", who);
      return back(intent === "activate" ? "activated" : "deactivated");
    }
    case "addService": {
      const name = str("serviceName");
      const needs = form.getAll("needs");
      const checked = checkService({ name, needs });
      if (!checked.ok) return invalid({ intent, errors: catalogueErrors(t, checked.errors), values: { serviceName: name }, needs: needs.map(String) });
      await addService(db, id, checked.value, who);
      return back("serviceAdded");
    }
    case "saveService": {
      const serviceId = str("serviceId");
      if (!organisation.services.some((s) => s.id === serviceId)) return invalid({ intent, errors: {}, message: t("plan:errors.notFound") });
      const name = str(`serviceName-${serviceId}`);
      const needs = form.getAll(`needs-${serviceId}`);
      const checked = checkService({ name, needs });
      if (!checked.ok) {
        const errors = catalogueErrors(t, checked.errors, (field) => `${field}-${serviceId}`);
        return invalid({ intent, errors, serviceId, values: { serviceName: name }, needs: needs.map(String) });
      }
      await updateService(db, id, serviceId, checked.value, who);
      return back("serviceSaved");
    }
    case "deactivateService":
    case "activateService": {
      const serviceId = str("serviceId");
      if (!organisation.services.some((s) => s.id === serviceId)) return invalid({ intent, errors: {}, message: t("plan:errors.notFound") });
      await setServiceActive(db, id, serviceId, intent === "activateService", who);
      return back(intent === "activateService" ? "serviceActivated" : "serviceDeactivated");
    }
    default:
      return invalid({ intent, errors: {}, message: t("plan:errors.unknownAction") });
  }
}

export default function Organisation() {
  const { t } = useTranslation("plan");
  const { organisation, districts, needs, done } = useLoaderData<typeof loader>();
  const answer = useActionData<typeof action>() as Answer | undefined;
  const errors = answer?.errors ?? {};
  return (
    <>
      <p>
        <a href="/staff/admin/organisations" className="back-link">
          {t("admin.back")}
        </a>
      </p>
      <ErrorSummary problems={toProblems(errors)} />
      {answer?.message ? (
        <div className="notice case-problem" role="alert">
          <p>{answer.message}</p>
        </div>
      ) : null}
      {done && !answer ? (
        <p className="notice success" role="status">
          {t(`admin.${done}`)}
        </p>
      ) : null}
      <h1>
        {organisation.name} {organisation.active ? null : <span className="tag not_eligible">{t("admin.inactive")}</span>}
      </h1>
      <p>{organisation.room}</p>

      <section aria-labelledby="details-heading">
        <h2 id="details-heading">{t("admin.editHeading")}</h2>
        <Form method="post" noValidate>
          <CsrfInput />
          <RepeatGuard />
          <input type="hidden" name="intent" value="save" />
          <OrganisationFields errors={answer?.intent === "save" ? errors : {}} values={answer?.intent === "save" ? answer.values : organisation.values} districts={districts} />
          <button type="submit" className="button">
            {t("admin.save")}
          </button>
        </Form>
        <Form method="post">
          <CsrfInput />
          <RepeatGuard />
          <input type="hidden" name="intent" value={organisation.active ? "deactivate" : "activate"} />
          {organisation.active ? <p className="hint">{t("admin.deactivateHint")}</p> : null}
          <button type="submit" className={organisation.active ? "button warning" : "button secondary"}>
            {organisation.active ? t("admin.deactivate") : t("admin.activate")}
          </button>
        </Form>
      </section>

      <section aria-labelledby="services-heading">
        <h2 id="services-heading">{t("admin.servicesHeading")}</h2>
        {organisation.services.length === 0 ? <p>{t("admin.noServices")}</p> : null}
        {organisation.services.map((s) => {
          const mine = answer?.intent === "saveService" && answer.serviceId === s.id;
          return (
            <div key={s.id} className="plan-service">
              <h3>
                {s.name} {s.active ? null : <span className="tag not_eligible">{t("admin.serviceInactive")}</span>}
              </h3>
              <Form method="post" noValidate>
                <CsrfInput />
                <RepeatGuard />
                <input type="hidden" name="intent" value="saveService" />
                <input type="hidden" name="serviceId" value={s.id} />
                <TextField name={`serviceName-${s.id}`} label={t("admin.serviceName")} error={errors[`serviceName-${s.id}`]} defaultValue={mine ? answer?.values?.serviceName : s.name} autoComplete="off" />
                <Checkboxes name={`needs-${s.id}`} legend={t("admin.needs")} options={needs} checked={mine ? (answer?.needs ?? []) : s.needs} error={errors[`needs-${s.id}`]} />
                <button type="submit" className="button secondary">
                  {t("admin.saveService")}
                </button>
              </Form>
              <Form method="post">
                <CsrfInput />
                <RepeatGuard />
                <input type="hidden" name="intent" value={s.active ? "deactivateService" : "activateService"} />
                <input type="hidden" name="serviceId" value={s.id} />
                <button type="submit" className={s.active ? "button warning" : "button secondary"}>
                  {s.active ? t("admin.deactivateService", { name: s.name }) : t("admin.activateService", { name: s.name })}
                </button>
              </Form>
            </div>
          );
        })}
        <h3 id="add-service-heading">{t("admin.addServiceHeading")}</h3>
        <Form method="post" noValidate aria-labelledby="add-service-heading">
          <CsrfInput />
          <RepeatGuard />
          <input type="hidden" name="intent" value="addService" />
          <TextField name="serviceName" label={t("admin.serviceName")} error={answer?.intent === "addService" ? errors.serviceName : undefined} defaultValue={answer?.intent === "addService" ? answer.values?.serviceName : undefined} autoComplete="off" />
          <Checkboxes name="needs" legend={t("admin.needs")} options={needs} checked={answer?.intent === "addService" ? (answer.needs ?? []) : []} error={answer?.intent === "addService" ? errors.needs : undefined} />
          <button type="submit" className="button">
            {t("admin.addService")}
          </button>
        </Form>
      </section>
    </>
  );
}
