// Identity documents: resident ID card numbers (validation, masking).
export * from "./id-number";
