// POST /chat/send: the /chat page's script sends a message here instead of
// reloading the page. Same cookie, same checks and same bot turn as the page's
// own form (routes/chat.tsx); the answer is JSON: the whole transcript as the
// page shows it and the quick answers, or 400 with the translated problem.
// The browser's id stays in the HttpOnly cookie, so a script cannot speak in
// another browser's conversation (the Botkit web adapter's webhook trusts a
// `user` field in the body instead).
import type { ActionFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { chatLines, chatVisitor, isCrossSite, readMessage, sendChatMessage } from "~/services/chat-visitor.server";
import { translatorFor } from "~/services/i18n.server";

const NO_STORE = "private, no-store";

export function loader() {
  return new Response("Method not allowed", { status: 405, headers: { Allow: "POST" } });
}

export async function action({ request }: ActionFunctionArgs) {
  if (request.method !== "POST") return new Response("Method not allowed", { status: 405, headers: { Allow: "POST" } });
  if (isCrossSite(request)) return new Response("Forbidden", { status: 403 });
  const { lng, t } = await translatorFor(request, ["chat", "common"]);
  const visitor = await chatVisitor(request);
  const message = readMessage(await request.formData());
  const headers = new Headers({ "Cache-Control": NO_STORE });
  if (!message.ok) {
    if (visitor.setCookie) headers.append("Set-Cookie", visitor.setCookie);
    return json({ error: t(`chat:errors.${message.problem}`) }, { status: 400, headers });
  }
  const sent = await sendChatMessage(visitor.id, message.text, lng);
  headers.append("Set-Cookie", sent.setCookie);
  return json({ lines: await chatLines(visitor.id), quickReplies: sent.quick }, { headers });
}
