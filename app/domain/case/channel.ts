// How an application reached us (contract: Application.channel). Reports
// compare channels, and the case page says who can help ("channel.<c>" in
// namespace "case").

export const CHANNELS = ["web", "chat", "sms", "staff_assisted", "partner", "outreach"] as const;
export type Channel = (typeof CHANNELS)[number];

export function isChannel(value: unknown): value is Channel {
  return typeof value === "string" && (CHANNELS as readonly string[]).includes(value);
}
