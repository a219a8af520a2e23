// The chat itself: the conversation as an ordered list in a polite live region
// (role="log"), the last reply's quick answers as buttons, and a labelled text
// field with a Send button. Both forms are plain POST forms, so everything
// works without JavaScript. With it, a message goes to /chat/send instead, the
// new lines are appended (and announced) without a reload, and focus stays in
// the text field; if that request fails in any way, the form is posted the
// plain way instead, so nothing typed is lost.
import { useEffect, useMemo, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { ErrorMessage } from "~/components/form/error-message";
import { ErrorSummary } from "~/components/form/error-summary";
import { MessageText } from "./message-text";
import { ONCE_FIELD, RepeatGuard } from "~/components/form/repeat-guard";

/** 24 random hex digits: the /chat/send repeat token of one message. */
function messageToken(): string {
  return Array.from(crypto.getRandomValues(new Uint8Array(12)), (b) => b.toString(16).padStart(2, "0")).join("");
}

export interface ChatLineView {
  /** position in the whole transcript: the line's stable key */
  n: number;
  from: "resident" | "bot";
  text: string;
  at: string;
  lang: string;
}

export interface QuickReplyView {
  title: string;
  payload: string;
}

interface ChatWindowProps {
  lines: ChatLineView[];
  quickReplies: QuickReplyView[];
  /** the server's message when the last post was refused (400, or 429: too many messages) */
  error: string | null;
  /** what was typed, given back with the error */
  draft: string;
}

const INPUT_ID = "chat-message";

interface SendAnswer {
  lines?: ChatLineView[];
  quickReplies?: QuickReplyView[];
  error?: string;
}

/** The plain-form way (the page reloads), used when the script's request fails. */
function postThePlainWay(form: HTMLFormElement, input: HTMLInputElement, text: string): void {
  input.value = text;
  // HTMLFormElement#submit skips the submit event, so this handler does not run again.
  HTMLFormElement.prototype.submit.call(form);
}

export function ChatWindow({ lines: serverLines, quickReplies: serverQuick, error: serverError, draft }: ChatWindowProps) {
  const { t } = useTranslation("chat");
  const [lines, setLines] = useState(serverLines);
  const [quick, setQuick] = useState(serverQuick);
  const [error, setError] = useState(serverError);
  const [pending, setPending] = useState<string | null>(null);
  const inputRef = useRef<HTMLInputElement>(null);
  const formRef = useRef<HTMLFormElement>(null);
  const sentByScript = useRef(false);

  // New server data (a reload, or Remix revalidating) replaces what the script held.
  useEffect(() => setLines(serverLines), [serverLines]);
  useEffect(() => setQuick(serverQuick), [serverQuick]);
  useEffect(() => setError(serverError), [serverError]);

  // After a script-sent turn, keep the text field and the newest replies in view.
  useEffect(() => {
    if (sentByScript.current) formRef.current?.scrollIntoView({ block: "nearest" });
  }, [lines, pending]);

  const problems = useMemo(() => (error ? [{ field: INPUT_ID, message: error }] : []), [error]);

  async function send(text: string) {
    const form = formRef.current;
    const input = inputRef.current;
    if (!form || !input) return;
    sentByScript.current = true;
    setPending(text);
    setError(null);
    input.value = "";
    input.focus();
    let answer: SendAnswer | null = null;
    let status = 0;
    try {
      const response = await fetch(`/chat/send${window.location.search}`, {
        method: "POST",
        // A fresh repeat token per message (the page's own token stays for the plain post).
        body: new URLSearchParams({ text, [ONCE_FIELD]: messageToken() }),
        headers: { Accept: "application/json" },
        credentials: "same-origin",
      });
      status = response.status;
      answer = (await response.json()) as SendAnswer;
    } catch {
      answer = null;
    }
    if (status === 200 && answer?.lines) {
      setLines(answer.lines);
      setQuick(answer.quickReplies ?? []);
      setPending(null);
    } else if ((status === 400 || status === 429) && answer?.error) {
      setPending(null);
      input.value = text;
      setError(answer.error);
    } else {
      postThePlainWay(form, input, text);
    }
  }

  function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    const input = inputRef.current;
    if (!input) return; // not rendered yet: let the browser post
    event.preventDefault();
    if (pending !== null) return; // one message at a time
    const submitter = (event.nativeEvent as SubmitEvent).submitter;
    const chosen = submitter instanceof HTMLButtonElement && submitter.name === "text" ? submitter.value : input.value;
    const text = chosen.trim();
    if (text === "") {
      setError(t("errors.empty"));
      return;
    }
    void send(text);
  }

  const shown: Array<ChatLineView & { pending?: boolean }> = pending === null ? lines : [...lines, { n: (lines.at(-1)?.n ?? -1) + 1, from: "resident", text: pending, at: "", lang: "", pending: true }];

  return (
    <>
      <ErrorSummary problems={problems} />
      <h1>{t("title")}</h1>
      <p className="lead">{t("lead")}</p>
      <div className="notice chat-person">
        <p>{t("person.body")}</p>
        <p>
          <a href="/callback">{t("person.callback")}</a>
        </p>
      </div>

      <h2 id="chat-log-title">{t("log.title")}</h2>
      <div className="chat-log" role="log" aria-live="polite" aria-labelledby="chat-log-title">
        {shown.length === 0 ? <p className="chat-empty">{t("log.empty")}</p> : null}
        <ol className="chat-lines">
          {shown.map((line, index) => (
            // Keys by position in the transcript: the pending line becomes the stored
            // one in place, so only the bot's new lines are announced as additions.
            <li key={line.n} id={index === shown.length - 1 ? "latest" : undefined} className={`chat-line from-${line.from}`}>
              <p className="chat-who">{t(`from.${line.from}`)}</p>
              <p className="chat-text" lang={line.lang || undefined}>
                <MessageText text={line.text} />
              </p>
              {line.pending ? <p className="chat-status">{t("sending")}</p> : null}
            </li>
          ))}
        </ol>
      </div>

      {quick.length > 0 ? (
        <form method="post" className="chat-quick" onSubmit={onSubmit}>
          <RepeatGuard />
          <fieldset>
            <legend>{t("quick.label")}</legend>
            <div className="chat-quick-buttons">
              {quick.map((reply) => (
                <button key={`${reply.payload}:${reply.title}`} type="submit" name="text" value={reply.payload} className="button secondary chat-quick-reply">
                  {reply.title}
                </button>
              ))}
            </div>
          </fieldset>
        </form>
      ) : null}

      <form method="post" className="chat-form" onSubmit={onSubmit} noValidate ref={formRef}>
        <RepeatGuard />
        <div className={error ? "field has-error" : "field"}>
          <label className="label chat-label" htmlFor={INPUT_ID}>
            {t("message.label")}
          </label>
          <p className="hint" id={`${INPUT_ID}-hint`}>
            {t("message.hint")}
          </p>
          {error ? <ErrorMessage id={`${INPUT_ID}-error`} message={error} /> : null}
          <input
            ref={inputRef}
            id={INPUT_ID}
            name="text"
            type="text"
            className="chat-input"
            autoComplete="off"
            spellCheck={false}
            enterKeyHint="send"
            defaultValue={draft}
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? `${INPUT_ID}-hint ${INPUT_ID}-error` : `${INPUT_ID}-hint`}
          />
        </div>
        <button type="submit" className="button">
          {t("send")}
        </button>
      </form>
    </>
  );
}
