// Evidence: document types, the checklist an application needs, and how an
// uploaded file is recognised and cleaned of metadata before it is stored.
export * from "./checklist";
export * from "./file-format";
export * from "./strip-metadata";
export * from "./types";
