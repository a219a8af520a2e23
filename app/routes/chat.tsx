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
import { chatLines, chatVisitor, isCrossSite, readMessage, sendChatMessage } from "~/services/chat-visitor.server";
import { translatorFor } from "~/services/i18n.server";
import { hasFormErrors, markFormErrors } from "~/utils/form-errors";
import { pageTitle } from "~/utils/page-title";

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

export async function action({ request, context }: ActionFunctionArgs) {
  if (isCrossSite(request)) throw new Response("Forbidden", { status: 403 });
  const { lng, t } = await translatorFor(request, ["chat", "common"]);
  const visitor = await chatVisitor(request);
  const message = readMessage(await request.formData());
  if (!message.ok) {
    markFormErrors(context);
    const headers = new Headers({ "Cache-Control": NO_STORE });
    if (visitor.setCookie) headers.append("Set-Cookie", visitor.setCookie);
    return json({ error: t(`chat:errors.${message.problem}`), text: message.text }, { status: 400, headers });
  }
  const sent = await sendChatMessage(visitor.id, message.text, lng);
  return redirect(backToChat(request), { status: 303, headers: { "Set-Cookie": sent.setCookie, "Cache-Control": NO_STORE } });
}

export default function ChatPage() {
  const { lines, quickReplies } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  return <ChatWindow lines={lines} quickReplies={quickReplies} error={actionData?.error ?? null} draft={actionData?.text ?? ""} />;
}
