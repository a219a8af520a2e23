// One chat line's text: line breaks kept (menus are numbered lines, styled
// with white-space: pre-line) and web addresses made into links, as a phone
// does: ASCII up to a space or a Chinese character, without trailing punctuation.
const LINK = /https?:\/\/[\x21-\x7e]*[\w/#=&~-]/g;

export function MessageText({ text }: { text: string }) {
  const parts: Array<string | JSX.Element> = [];
  let last = 0;
  for (const match of text.matchAll(LINK)) {
    const start = match.index ?? 0;
    parts.push(
      text.slice(last, start),
      <a key={start} href={match[0]}>
        {match[0]}
      </a>,
    );
    last = start + match[0].length;
  }
  parts.push(text.slice(last));
  return <>{parts}</>;
}
