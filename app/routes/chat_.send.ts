// POST /chat/send: the /chat page's script sends a message here instead of
// reloading the page. Same cookie, same checks and same bot turn as the page's
// own form (routes/chat.tsx); the answer is JSON: the whole transcript as the
// page shows it and the quick answers, or 400 with the translated problem.
// The browser's id stays in the HttpOnly cookie, so a script cannot speak in
// another browser's conversation (the Botkit web adapter's webhook trusts a
// `user` field in the body instead).
import type { ActionFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { limitChatMessage, retryAfter, waitText } from "~/services/abuse-limits.server";
import { chatLines, chatVisitor, isCrossSite, readMessage, sendChatMessage } from "~/services/chat-visitor.server";
import { translatorFor } from "~/services/i18n.server";
import { clientIp } from "~/services/track-session.server";
import { readForm } from "~/services/form-body.server";
import { repeatGuarded } from "~/services/idempotency.server";

const NO_STORE = "private, no-store";

export function loader() {
  return new Response("Method not allowed", { status: 405, headers: { Allow: "POST" } });
}

// A repeat of one form (double click, resend) gets the first answer: app/services/idempotency.server.ts.
// A function, not `const action = repeatGuarded(…)`: a call at module level would stay in the
// browser bundle, where the .server module is empty, and stop the page from hydrating.
export function action(args: Parameters<typeof guardedAction>[0]) {
  return repeatGuarded("chat.send", guardedAction)(args);
}

async function guardedAction({ request, context }: ActionFunctionArgs) {
  if (request.method !== "POST") return new Response("Method not allowed", { status: 405, headers: { Allow: "POST" } });
  if (isCrossSite(request)) return new Response("Forbidden", { status: 403 });
  const { lng, t } = await translatorFor(request, ["chat", "common"]);
  const visitor = await chatVisitor(request);
  const message = readMessage(await readForm(request));
  const headers = new Headers({ "Cache-Control": NO_STORE });
  if (!message.ok) {
    if (visitor.setCookie) headers.append("Set-Cookie", visitor.setCookie);
    return json({ error: t(`chat:errors.${message.problem}`) }, { status: 400, headers });
  }
  // Too many messages from this browser or address (app/services/abuse-limits.server.ts): 429, not run through the bot.
  const verdict = await limitChatMessage({ visitor: visitor.id, ip: clientIp(context) });
  if (!verdict.ok) {
    if (visitor.setCookie) headers.append("Set-Cookie", visitor.setCookie);
    for (const [name, value] of Object.entries(retryAfter(verdict))) headers.set(name, value);
    return json({ error: t("chat:errors.tooFast", { wait: waitText(lng, verdict) }) }, { status: 429, headers });
  }
  const sent = await sendChatMessage(visitor.id, message.text, lng, clientIp(context));
  headers.append("Set-Cookie", sent.setCookie);
  return json({ lines: await chatLines(visitor.id), quickReplies: sent.quick }, { headers });
}
