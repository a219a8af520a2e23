// Prints one plain closing line, "N passed, N failed[, N skipped]", that CI
// reads whatever the runner; a file that fails to load counts as a failure.
import type { Reporter } from "vitest/reporters";

type Task = { type: string; mode?: string; result?: { state?: string }; tasks?: Task[] };

export default class SummaryReporter implements Reporter {
  onFinished(files: Task[] = [], errors: unknown[] = []) {
    let passed = 0;
    let failed = 0;
    let skipped = 0;
    const walk = (task: Task) => {
      if (task.type === "test") {
        const state = task.result?.state;
        if (state === "pass") passed++;
        else if (state === "fail") failed++;
        else skipped++;
      }
      task.tasks?.forEach(walk);
    };
    for (const file of files) {
      const before = passed + failed + skipped;
      walk(file);
      if (file.result?.state === "fail" && passed + failed + skipped === before) failed++;
    }
    failed += errors.length;
    console.log(`\n${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ""}`);
  }
}
