// Shown with a 429 when an abuse limit stopped a form (app/services/
// abuse-limits.server.ts): what happened and how long to wait, in words the
// server already translated. Nothing was saved, so it is announced at once.
import { useEffect, useRef } from "react";

export interface RateLimitMessage {
  title: string;
  body: string;
}

export function RateLimitNotice({ message }: { message: RateLimitMessage | null | undefined }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (message) ref.current?.focus();
  }, [message]);
  if (!message) return null;
  return (
    <div className="error-summary" ref={ref} role="alert" aria-labelledby="rate-limit-title" tabIndex={-1}>
      <h2 id="rate-limit-title">{message.title}</h2>
      <p>{message.body}</p>
    </div>
  );
}
