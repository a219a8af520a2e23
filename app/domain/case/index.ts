// Cases (applications after submission): statuses and their moves, channels,
// and the evidence domain the case page and the partner API share.
export * from "./channel";
export * from "./status";
export * from "../evidence";
export * from "./proxy";
