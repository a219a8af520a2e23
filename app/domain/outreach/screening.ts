/**
 * One screening run over a departmental file: rows in (as decoded text
 * chunks), per-household totals kept, malformed and repeated rows reported
 * through `onProblem` with their line numbers, then the flagged households in
 * rank order. The rule version is the one in force on `asOf`.
 */
import { compiledParametersFor, type CompiledParameters } from "~/domain/eligibility";
import { rankScreened, screenHousehold, type ScreenedHousehold } from "./flags";
import { HouseholdTallies } from "./households";
import { PersonRowReader, type ReaderPart } from "./reader";
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
  /**
   * Screen only this part of the households (a parallel run: see ReaderPart;
   * every part reads the whole file). Null or absent: all of them.
   */
  part?: ReaderPart | null;
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

/** The counts of one part of a parallel run, added up by summaryOfParts. */
export interface ScreeningCounts {
  rowsRead: number;
  malformed: number;
  households: number;
  excluded: number;
}

export class OutreachScreening {
  readonly params: CompiledParameters;
  private readonly tallies: HouseholdTallies;
  private readonly reader: PersonRowReader;

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
        fastBytes: (bytes, row, line) => {
          if (exclude !== null) {
            const s = row.idStart;
            let id = String.fromCharCode(bytes[s], bytes[s + 1], bytes[s + 2], bytes[s + 3], bytes[s + 4], bytes[s + 5], bytes[s + 6], bytes[s + 7], bytes[s + 8]);
            id += String.fromCharCode(bytes[s + 9], bytes[s + 10], bytes[s + 11], bytes[s + 12], bytes[s + 13], bytes[s + 14], bytes[s + 15], bytes[s + 16]);
            if (exclude(id + (bytes[s + 17] === 120 ? "X" : String.fromCharCode(bytes[s + 17])))) this.tallies.excludeBytes(bytes, row.hidStart, row.hidEnd);
          }
          if (!this.tallies.addFastBytes(bytes, row, line)) {
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
      options.part ?? null,
    );
  }

  push(text: string): void {
    this.reader.push(text);
  }

  /** Whole lines from the file's bytes, after the header came through push(): see PersonRowReader.pushBytes. */
  pushBytes(bytes: Uint8Array, final: boolean): number {
    return this.reader.pushBytes(bytes, final);
  }

  end(): void {
    this.reader.end();
  }

  /** The flagged households, ranked. */
  results(): ScreenedHousehold[] {
    const params = this.params;
    return rankScreened(this.tallies.screenEach((t) => screenHousehold(t, params)));
  }

  /** This screening's counts, for summaryOfParts (a part of a parallel run). */
  counts(): ScreeningCounts {
    return { rowsRead: this.reader.rowsRead, malformed: this.reader.malformed, households: this.tallies.householdCount, excluded: this.tallies.excludedCount };
  }

  /**
   * The summary of a parallel run from its parts' counts: each household and
   * each row was in exactly one part (see ReaderPart), so they add up.
   */
  static summaryOfParts(asOf: string, parts: readonly ScreeningCounts[], flagged: number): ScreeningSummary {
    const sum = (k: keyof ScreeningCounts) => parts.reduce((n, p) => n + p[k], 0);
    return {
      asOf,
      rulesVersion: compiledParametersFor(asOf).version.id,
      rowsRead: sum("rowsRead"),
      malformed: sum("malformed"),
      households: sum("households"),
      flagged,
      excluded: sum("excluded"),
    };
  }

  summary(flagged: number): ScreeningSummary {
    return {
      asOf: this.asOf,
      rulesVersion: this.params.version.id,
      rowsRead: this.reader.rowsRead,
      malformed: this.reader.malformed,
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
