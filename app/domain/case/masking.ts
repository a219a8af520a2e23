// Names in lists: the first character and a star ("王*"), enough to tell two
// cases apart on the phone, not enough to identify someone over a shoulder.
// Characters, not UTF-16 units, so a rare name character is never cut in half.
export function maskName(name: string): string {
  const first = Array.from(name.trim())[0];
  return first ? `${first}*` : "*";
}

/** One word of a name by the rule book's public-notice rule: 张三丰 → 张*丰, 张三 → 张*, 张 → *. */
function maskWord(word: string): string {
  const chars = Array.from(word);
  if (chars.length <= 1) return "*";
  if (chars.length === 2) return `${chars[0]}*`;
  // One star however long the middle is: the length of a name is a clue too.
  return `${chars[0]}*${chars[chars.length - 1]}`;
}

/**
 * Names on the public notice list (公示), as the rule book says: the first and
 * last characters with the middle replaced by "*" (张三丰 → 张*丰), a
 * two-character name keeps only the first (张三 → 张*), and a name written in
 * words (Latin letters) is masked word by word ("John Smith" → "J*n S*h").
 */
export function maskNoticeName(name: string): string {
  const words = name.trim().split(/\s+/).filter((w) => w !== "");
  if (words.length === 0) return "*";
  return words.map(maskWord).join(" ");
}
