// Reads the body of a page's form post. request.formData() throws a TypeError
// when the body is not the form its Content-Type says (multipart without its
// boundary, or cut short), and Remix answers a thrown error with a 500. That is
// the sender's mistake, not ours: it is answered as one, 400 with a short
// message in the person's language (as the form gate in app/server/app.ts
// answers other bodies with 415).
import { translatorFor } from "./i18n.server";

export async function readForm(request: Request): Promise<FormData> {
  try {
    return await request.formData();
  } catch (error) {
    if (!(error instanceof TypeError)) throw error;
    const { t } = await translatorFor(request, "common");
    throw new Response(t("errors.formType"), {
      status: 400,
      headers: {
        "Content-Type": "text/plain; charset=utf-8",
        "Cache-Control": "no-store",
      },
    });
  }
}
