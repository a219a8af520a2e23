/**
 * Writing CSV for `--format csv`: RFC 4180 quoting, and a cell that a
 * spreadsheet would run as a formula (= + - @ at the start) gets a leading
 * apostrophe, since these files are opened by staff in spreadsheet programs.
 */
export function csvCell(value: string | number): string {
  let s = String(value);
  if (typeof value === "string" && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function csvRow(values: readonly (string | number)[]): string {
  return `${values.map(csvCell).join(",")}\r\n`;
}
