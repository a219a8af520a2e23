// Names in lists: the first character and a star ("王*"), enough to tell two
// cases apart on the phone, not enough to identify someone over a shoulder.
// Characters, not UTF-16 units, so a rare name character is never cut in half.
export function maskName(name: string): string {
  const first = Array.from(name.trim())[0];
  return first ? `${first}*` : "*";
}
