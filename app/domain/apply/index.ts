/**
 * The application journey as data (issue 3, item 1): the answers, reading
 * each task page's form, and the task list with its statuses. Pure
 * TypeScript: no I/O, no clock (today is passed in).
 */
export * from "./answers";
export * from "./forms";
export * from "./tasks";
export * from "./caseworker";
