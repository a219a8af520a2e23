// The outbox's sender, minus phones that texted STOP / 退订. The worker's own
// isOptedOut hook sees only the phone, which would also hold back the one
// confirmation of STOP; this wrapper sees the text, so that confirmation (and
// nothing else) still goes out. Other texts to an opted-out phone fail for good.
import { isOptedOut } from "~/models/opt-out.server";
import type { Db } from "~/services/db.server";
import { fixedT } from "~/services/i18n.server";
import { SmsSendError, type SmsSender } from "~/services/sms-sender.server";
import { SUPPORTED_LANGUAGES } from "~/i18n";

export function stopConfirmations(): Set<string> {
  return new Set(SUPPORTED_LANGUAGES.map((lng) => fixedT(lng, "bot")("stop.done")));
}

export function optOutAwareSender(db: Db, inner: SmsSender): SmsSender {
  const confirmations = stopConfirmations();
  return {
    kind: inner.kind,
    async send(text) {
      if (!confirmations.has(text.body) && (await isOptedOut(db, text.to))) throw new SmsSendError("opted out", true);
      return inner.send(text);
    },
  };
}
