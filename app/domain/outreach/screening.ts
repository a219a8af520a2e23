/**
 * One screening run over a departmental file: rows in (as decoded text
 * chunks), per-household totals kept, malformed and repeated rows reported
 * through `onProblem` with their line numbers, then the flagged households in
 * rank order. The rule version is the one in force on `asOf`.
 */
import { compiledParametersFor, type CompiledParameters } from "~/domain/eligibility";
import { rankScreened, screenHousehold, type ScreenedHousehold } from "./flags";
import { HouseholdTallies } from "./households";
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

export class OutreachScreening {
  readonly params: CompiledParameters;
  private readonly tallies = new HouseholdTallies();
  private readonly reader: PersonRowReader;

  constructor(readonly asOf: string, onProblem: ProblemReporter, options: ScreeningOptions = {}) {
    this.params = compiledParametersFor(asOf);
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
    const out: ScreenedHousehold[] = [];
    for (const t of this.tallies.screenable()) {
      const s = screenHousehold(t, this.params);
      if (s) out.push(s);
    }
    return rankScreened(out);
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
