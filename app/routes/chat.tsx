// /chat: the assistant as a web chat. Without JavaScript it is a plain form:
// the transcript is rendered here, a message (typed, or a quick answer's
// button) posts to this action, which runs one bot turn and redirects (303)
// back to /chat#latest so a reload never sends it twice. With JavaScript the
// same forms send through /chat/send (chat_.send.ts) and the new lines are
// appended to a polite live region (components/chat/chat-window.tsx).
// The page is in the site's language (?lng=, cookie); the bot's lines are in
// the conversation's language, which the resident may switch (EN / 中文).
import type { ActionFunctionArgs, HeadersFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { ChatWindow } from "~/components/chat/chat-window";
import { isLanguage } from "~/i18n";
import { limitChatMessage, retryAfter, waitText } from "~/services/abuse-limits.server";
import { chatLines, chatVisitor, isCrossSite, readMessage, sendChatMessage } from "~/services/chat-visitor.server";
import { translatorFor } from "~/services/i18n.server";
import { clientIp } from "~/services/track-session.server";
import { hasFormErrors, markFormErrors } from "~/utils/form-errors";
import { pageTitle } from "~/utils/page-title";
import { readForm } from "~/services/form-body.server";
import { repeatGuarded } from "~/services/idempotency.server";

export const handle = { i18n: ["common", "chat"] };

const NO_STORE = "private, no-store";

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { t } = await translatorFor(request, ["chat", "common"]);
  const visitor = await chatVisitor(request);
  const headers = new Headers({ "Cache-Control": NO_STORE });
  if (visitor.setCookie) headers.append("Set-Cookie", visitor.setCookie);
  return json(
    {
      pageTitle: pageTitle(t, t("chat:title"), hasFormErrors(context)),
      lines: await chatLines(visitor.id),
      quickReplies: visitor.quick,
    },
    { headers },
  );
}

export const headers: HeadersFunction = ({ loaderHeaders, actionHeaders }) => (actionHeaders.has("Cache-Control") ? actionHeaders : loaderHeaders);

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.pageTitle ?? "" }];

/** Back to this page (keeping an explicit ?lng=), at the newest line. */
function backToChat(request: Request): string {
  const lng = new URL(request.url).searchParams.get("lng");
  return `/chat${isLanguage(lng) ? `?lng=${lng}` : ""}#latest`;
}

// A repeat of one form (double click, resend) gets the first answer: app/services/idempotency.server.ts.
// A function, not `const action = repeatGuarded(…)`: a call at module level would stay in the
// browser bundle, where the .server module is empty, and stop the page from hydrating.
export function action(args: Parameters<typeof guardedAction>[0]) {
  return repeatGuarded("chat", guardedAction)(args);
}

async function guardedAction({ request, context }: ActionFunctionArgs) {
  if (isCrossSite(request)) throw new Response("Forbidden", { status: 403 });
  const { lng, t } = await translatorFor(request, ["chat", "common"]);
  const visitor = await chatVisitor(request);
  const message = readMessage(await readForm(request));
  if (!message.ok) {
    markFormErrors(context);
    const headers = new Headers({ "Cache-Control": NO_STORE });
    if (visitor.setCookie) headers.append("Set-Cookie", visitor.setCookie);
    return json({ error: t(`chat:errors.${message.problem}`), text: message.text }, { status: 400, headers });
  }
  // Too many messages from this browser or address (app/services/abuse-limits.server.ts): not run through the bot.
  const verdict = await limitChatMessage({ visitor: visitor.id, ip: clientIp(context) });
  if (!verdict.ok) {
    markFormErrors(context);
    const headers = new Headers({ "Cache-Control": NO_STORE, ...retryAfter(verdict) });
    if (visitor.setCookie) headers.append("Set-Cookie", visitor.setCookie);
    return json({ error: t("chat:errors.tooFast", { wait: waitText(lng, verdict) }), text: message.text }, { status: 429, headers });
  }
  const sent = await sendChatMessage(visitor.id, message.text, lng, clientIp(context));
  return redirect(backToChat(request), { status: 303, headers: { "Set-Cookie": sent.setCookie, "Cache-Control": NO_STORE } });
}

export default function ChatPage() {
  const { lines, quickReplies } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  return <ChatWindow lines={lines} quickReplies={quickReplies} error={actionData?.error ?? null} draft={actionData?.text ?? ""} />;
}
