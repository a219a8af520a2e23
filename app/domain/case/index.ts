// Cases (applications after submission): statuses and their moves, channels,
// and the evidence domain the case page and the partner API share; the
// decision rules of the staff console (amounts, large-amount threshold, plain
// reasons, overdue, masking).
export * from "./channel";
export * from "./status";
export * from "../evidence";
export * from "./proxy";
export * from "./decision";
export * from "./reasons";
export * from "./overdue";
export * from "./masking";
