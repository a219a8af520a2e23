// Call-back requests: phone numbers, due times, references and validation,
// shared by the web form, the JSON API, chat and SMS.
export * from "./due";
export * from "./phone";
export * from "./queue";
export * from "./reference";
export * from "./validate";
export * from "./when";
