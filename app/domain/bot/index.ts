// The chat and SMS assistant's pure parts: input reading, keywords, the short
// check and the dialog decisions (bot/ runs them through Botkit).
export * from "./normalize";
export * from "./keywords";
export * from "./short-check";
export * from "./engine";
export * from "./segments";
