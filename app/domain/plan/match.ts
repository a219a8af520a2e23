// Which service to send a need to: an active service for that need of an
// active organisation in the case's district that still has room (open
// referrals, sent or accepted, below its capacity); else one in any district
// with room; else none, and the plan item waits without a service (the page
// says no organisation has room). Among equals, the one with most room, then
// by name, so the choice is stable.
import type { NeedCode } from "./needs";

export interface ServiceOption {
  id: string;
  name: string;
  organisationId: string;
  organisationName: string;
  district: string;
  needs: readonly string[];
  active: boolean;
  organisationActive: boolean;
  capacity: number;
  /** the organisation's referrals now sent or accepted */
  openReferrals: number;
}

export function freeRoom(option: Pick<ServiceOption, "capacity" | "openReferrals">): number {
  return Math.max(0, option.capacity - option.openReferrals);
}

/** Active, for this need, and with room: a service that may take a new referral. */
export function canTake(option: ServiceOption, need: NeedCode): boolean {
  return option.active && option.organisationActive && option.needs.includes(need) && freeRoom(option) > 0;
}

function byRoomThenName(a: ServiceOption, b: ServiceOption): number {
  return freeRoom(b) - freeRoom(a) || a.organisationName.localeCompare(b.organisationName) || a.name.localeCompare(b.name) || a.id.localeCompare(b.id);
}

export function matchService(need: NeedCode, district: string | null, services: readonly ServiceOption[]): ServiceOption | null {
  const open = services.filter((s) => canTake(s, need));
  const near = open.filter((s) => district !== null && s.district === district).sort(byRoomThenName);
  if (near.length > 0) return near[0];
  const any = [...open].sort(byRoomThenName);
  return any[0] ?? null;
}
