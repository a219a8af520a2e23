/**
 * One screening run over a departmental file: rows in (as decoded text
 * chunks), per-household totals kept, malformed and repeated rows reported
 * through `onProblem` with their line numbers, then the flagged households in
 * rank order. The rule version is the one in force on `asOf`.
 */
import { compiledParametersFor, type CompiledParameters } from "~/domain/eligibility";
import { rankScreened, screenHousehold, type ScreenedHousehold } from "./flags";
import { HouseholdTallies, type TallyState } from "./households";
import { PersonRowReader } from "./reader";
import type { PersonRecord, RowProblem } from "./row";

export type ProblemReporter = (line: number, problem: RowProblem) => void;

export interface ScreeningOptions {
  /**
   * True for a person who asked not to be screened (ScreeningOptOut; see
   * ./opt-out optOutExcluder). Called with the row's valid ID number (18
   * characters, X upper case), also for a row skipped for another problem.
   * A household with such a member is left out: not flagged, only counted.
   */
  excludePerson?: ((idNumber: string) => boolean) | null;
  /** about how many rows will come (room is made at once; any number still works) */
  expectedRows?: number;
}

export interface ScreeningSummary {
  asOf: string;
  rulesVersion: string;
  rowsRead: number;
  malformed: number;
  households: number;
  flagged: number;
  /** households left out because a member asked not to be screened (never who) */
  excluded: number;
}

/**
 * A screening of one part of a file (from a line break to a line break),
 * done on another thread, to be merged in file order by
 * OutreachScreening.fromParts. Lines are counted within the part: a part
 * after the first is read with the header line put in front of it, so its
 * first own line is `firstLine`.
 */
export interface ScreeningPart {
  tallies: TallyState;
  rowsRead: number;
  malformed: number;
  /** the problems in the part's line numbers, in line order */
  problems: [number, RowProblem][];
  firstLine: number;
  nextLine: number;
  /** the part ended exactly after a complete record (else the split fell inside a quoted field) */
  clean: boolean;
}

export class OutreachScreening {
  readonly params: CompiledParameters;
  private tallies: HouseholdTallies;
  private readonly reader: PersonRowReader;
  private merged: { rowsRead: number; malformed: number } | null = null;

  constructor(readonly asOf: string, onProblem: ProblemReporter, options: ScreeningOptions = {}) {
    this.params = compiledParametersFor(asOf);
    this.tallies = new HouseholdTallies(options.expectedRows ?? 0);
    const exclude = options.excludePerson ?? null;
    this.reader = new PersonRowReader(
      {
        person: (p, line) => {
          if (exclude !== null && exclude(p.idNumber)) this.tallies.exclude(p.householdId);
          if (!this.tallies.add(p, line)) {
            this.reader.countSkipped();
            onProblem(line, { code: "duplicatePerson", values: { column: "person_id" } });
          }
        },
        fastPerson: (text, row, line) => {
          if (exclude !== null) {
            const id = text.slice(row.idStart, row.idStart + 18);
            if (exclude(id.charCodeAt(17) === 120 ? `${id.slice(0, 17)}X` : id)) this.tallies.excludeRange(text, row.hidStart, row.hidEnd);
          }
          if (!this.tallies.addFast(text, row, line)) {
            this.reader.countSkipped();
            onProblem(line, { code: "duplicatePerson", values: { column: "person_id" } });
          }
        },
        problem: (line, problem, householdId, idNumber) => {
          if (householdId !== null) {
            this.tallies.skip(householdId, line);
            if (exclude !== null && idNumber !== undefined && exclude(idNumber)) this.tallies.exclude(householdId);
          }
          onProblem(line, problem);
        },
      },
      asOf,
    );
  }

  push(text: string): void {
    this.reader.push(text);
  }

  end(): void {
    this.reader.end();
  }

  /** The flagged households, ranked. */
  results(): ScreenedHousehold[] {
    const params = this.params;
    return rankScreened(this.tallies.screenEach((t) => screenHousehold(t, params)));
  }

  /** The line the next record of the pushed text starts on. */
  get nextLine(): number {
    return this.reader.nextLine;
  }

  /**
   * This screening as one part of a parallel run (see ScreeningPart); call
   * after the part's text, without end() unless it is the file's last part.
   */
  exportPart(problems: [number, RowProblem][], firstLine: number): ScreeningPart {
    return {
      tallies: this.tallies.exportState(),
      rowsRead: this.reader.rowsRead,
      malformed: this.reader.malformed,
      problems,
      firstLine,
      nextLine: this.reader.nextLine,
      clean: this.reader.atRecordBoundary,
    };
  }

  /**
   * The screening of a whole file from its parts in file order, exactly as if
   * one screening had read it: line numbers moved to the file's, a person
   * repeated across parts skipped (and reported) in its later part, problems
   * reported in line order. Null when a part (but the last) did not end on a
   * record boundary: then the file must be read in one piece.
   */
  static fromParts(asOf: string, parts: ScreeningPart[], onProblem: ProblemReporter): OutreachScreening | null {
    if (parts.length === 0 || parts.slice(0, -1).some((p) => !p.clean)) return null;
    const s = new OutreachScreening(asOf, () => {});
    const tallies = HouseholdTallies.fromState(parts[0].tallies);
    for (const [line, problem] of parts[0].problems) onProblem(line, problem);
    let rowsRead = parts[0].rowsRead;
    let malformed = parts[0].malformed;
    let base = parts[0].nextLine;
    for (let k = 1; k < parts.length; k++) {
      const part = parts[k];
      const offset = base - part.firstLine;
      const repeated: number[] = [];
      tallies.merge(part.tallies, offset, (line) => repeated.push(line));
      repeated.sort((a, b) => a - b);
      let r = 0;
      for (const [line, problem] of part.problems) {
        const at = line + offset;
        while (r < repeated.length && repeated[r] < at) onProblem(repeated[r++], { code: "duplicatePerson", values: { column: "person_id" } });
        onProblem(at, problem);
      }
      while (r < repeated.length) onProblem(repeated[r++], { code: "duplicatePerson", values: { column: "person_id" } });
      rowsRead += part.rowsRead;
      malformed += part.malformed + repeated.length;
      base = part.nextLine + offset;
    }
    s.tallies = tallies;
    s.merged = { rowsRead, malformed };
    return s;
  }

  summary(flagged: number): ScreeningSummary {
    return {
      asOf: this.asOf,
      rulesVersion: this.params.version.id,
      rowsRead: this.merged ? this.merged.rowsRead : this.reader.rowsRead,
      malformed: this.merged ? this.merged.malformed : this.reader.malformed,
      households: this.tallies.householdCount,
      flagged,
      excluded: this.tallies.excludedCount,
    };
  }
}

/**
 * Second read of the same file for `--import`: the valid, first-seen rows of
 * the given households (their people and the prefilled application need the
 * whole records, which the screening pass does not keep).
 */
export class PeopleCollector {
  readonly people = new Map<string, PersonRecord[]>();
  private readonly seen = new Set<string>();
  private readonly reader: PersonRowReader;

  constructor(asOf: string, households: ReadonlySet<string>) {
    this.reader = new PersonRowReader(
      {
        person: (p) => {
          if (!households.has(p.householdId)) return;
          const key = `${p.householdId}\u0000${p.personId}`;
          if (this.seen.has(key)) return;
          this.seen.add(key);
          const list = this.people.get(p.householdId);
          if (list) list.push(p);
          else this.people.set(p.householdId, [p]);
        },
        problem: () => {},
      },
      asOf,
    );
  }

  push(text: string): void {
    this.reader.push(text);
  }

  end(): void {
    this.reader.end();
  }
}
