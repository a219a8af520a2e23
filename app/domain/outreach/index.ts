/**
 * Proactive identification (主动发现): screening of departmental person
 * records per the rule book. Pure TypeScript; the CLI (app/cli/outreach.ts)
 * and the model (app/models/outreach.server.ts) do the I/O.
 */
export { COLUMNS, readHeader, type Column, type ColumnIndex } from "./columns";
export { CsvRecordParser, RecordTooLongError, type CsvRecordSink } from "./csv-records";
export { explainOutreachReason, explainRowProblem, outreachReasonKey } from "./explain";
export { FLAG_CODES, compareScreened, rankScreened, screenHousehold, type FlagCode, type OutreachReason, type RankKey, type ScreenedHousehold } from "./flags";
export { HouseholdTallies, type HouseholdTally } from "./households";
export { householdFromPeople, leadRecord, type LeadPerson, type LeadRecord } from "./lead";
export { PersonRowReader, UnusableFileError, keyHash, partOfHash, type ReaderPart, type RowSink } from "./reader";
export { MAX_AMOUNT_YUAN, dateNumber, parseFen, quickIdNumber, readPersonRow, type PersonRecord, type RowProblem, type RowProblemCode } from "./row";
export { OutreachScreening, PeopleCollector, type ProblemReporter, type ScreeningCounts, type ScreeningOptions, type ScreeningSummary } from "./screening";
export { csvCell, csvRow } from "./csv-out";
