// "Previous / page N / Next" under a paged list: plain links (no JavaScript
// needed), rel="prev"/"next", in a labelled <nav>. Each list words its own
// labels (its namespace), so they are passed in already translated.
export interface PageLinksProps {
  previous: string | null;
  next: string | null;
  /** the <nav>'s accessible name, e.g. "Pages of results" */
  label: string;
  previousText: string;
  nextText: string;
  /** e.g. "Page 3" or "Page 3 of 12" */
  pageText: string;
  className?: string;
  linkClassName?: string;
}

export function PageLinks({
  previous,
  next,
  label,
  previousText,
  nextText,
  pageText,
  className = "case-pages",
  linkClassName,
}: PageLinksProps) {
  if (!previous && !next) return null;
  return (
    <nav className={className} aria-label={label}>
      {previous ? (
        <a href={previous} rel="prev" className={linkClassName}>
          {previousText}
        </a>
      ) : null}
      <span>{pageText}</span>
      {next ? (
        <a href={next} rel="next" className={linkClassName}>
          {nextText}
        </a>
      ) : null}
    </nav>
  );
}
