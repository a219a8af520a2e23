// Liveness for load balancers: 200 "ok" when the database answers, else 503.
import { databaseAnswers } from "~/services/db.server";

export async function loader() {
  const ok = await databaseAnswers();
  return new Response(ok ? "ok" : "database unavailable", {
    status: ok ? 200 : 503,
    headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store" },
  });
}
