// STOP / 退订 and START for text messages. The outbox worker asks isOptedOut
// before every send, so nothing queued earlier slips out after STOP either.
import type { Db } from "~/services/db.server";
import type { Prisma } from "~/generated/prisma/client";

type Client = Db | Prisma.TransactionClient;

export async function optOut(db: Client, phone: string, now: Date = new Date()): Promise<void> {
  await db.smsOptOut.upsert({ where: { phone }, create: { phone, optedOutAt: now }, update: {}, select: { phone: true } });
}

export async function optIn(db: Client, phone: string): Promise<void> {
  await db.smsOptOut.deleteMany({ where: { phone } });
}

/** Raw SQL: the outbox asks this before every text it sends (a typed look-up costs several times the CPU). */
export async function isOptedOut(db: Client, phone: string): Promise<boolean> {
  const rows = await db.$queryRaw<Array<{ phone: string }>>`SELECT "phone" FROM "SmsOptOut" WHERE "phone" = ${phone}`;
  return rows.length > 0;
}
