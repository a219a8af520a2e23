// The agreed assistance plan on /track/case, in plain words: the payments and
// help, each with what it gives and why, and the services, each with the
// organisation that will get in touch (its phone) and where the referral is.
// The loader builds every sentence (residentPlanData), so the page needs no
// extra namespace in the browser; nothing shows before the plan is agreed.
import type { AgreedPlanLike } from "./resident-plan-data";

export { residentPlanData, type ResidentPlanData } from "./resident-plan-data";

export function ResidentPlan({ plan }: { plan: AgreedPlanLike | null | undefined }) {
  if (!plan) return null;
  return (
    <section aria-labelledby="plan-heading" className="resident-plan">
      <h2 id="plan-heading">{plan.heading}</h2>
      <p>{plan.intro}</p>
      {plan.programmes.items.length > 0 ? (
        <>
          <h3>{plan.programmes.heading}</h3>
          <ul className="plan-list">
            {plan.programmes.items.map((item) => (
              <li key={item.id}>
                <strong>{item.name}</strong>
                <br />
                {item.amount}
                <br />
                <span className="hint">{item.why}</span>
              </li>
            ))}
          </ul>
        </>
      ) : null}
      {plan.services.items.length > 0 ? (
        <>
          <h3>{plan.services.heading}</h3>
          <ul className="plan-list">
            {plan.services.items.map((item) => (
              <li key={item.id}>
                <strong>{item.name}</strong>
                <br />
                {item.from}
                {item.status ? (
                  <>
                    <br />
                    {item.status}
                  </>
                ) : null}
                <br />
                <span className="hint">{item.why}</span>
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </section>
  );
}
