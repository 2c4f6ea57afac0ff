import type { Reporter, TestModule } from "vitest/node";
import { MISSING_NOTE, strictAboutSkips } from "./prerequisites/prerequisites.js";

/**
 * Ends the run with one plain line, `N passed, N failed[, N skipped]`, that CI logs can be read by.
 * Before it, one line names every prerequisite that was missing (tests that need something outside
 * npm skip with a note, test/prerequisites/prerequisites.ts) and how to install each. Under CI=true a
 * skipped test counts as failed and the run fails: CI proves every test.
 */
export default class SummaryReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    let passed = 0;
    let failed = 0;
    let skipped = 0;
    const missing = new Set<string>();
    let skippedForMissing = 0;
    for (const module of testModules) {
      for (const test of module.children.allTests()) {
        const result = test.result();
        if (result.state === "passed") passed++;
        else if (result.state === "failed") failed++;
        else {
          skipped++;
          const notes = (result.state === "skipped" ? (result.note ?? "") : "").split("\n").filter((line) => line.startsWith(MISSING_NOTE));
          if (notes.length > 0) skippedForMissing++;
          for (const note of notes) missing.add(note.slice(MISSING_NOTE.length));
        }
      }
      if (module.state() === "failed" && [...module.children.allTests()].length === 0) failed++;
    }
    const lines: string[] = [];
    if (missing.size > 0) {
      lines.push(`${skippedForMissing} ${skippedForMissing === 1 ? "test" : "tests"} skipped for missing prerequisites: ${[...missing].join("; ")}`);
    }
    if (strictAboutSkips() && skipped > 0) {
      lines.push(`CI=true: ${skipped} skipped ${skipped === 1 ? "test counts" : "tests count"} as failed`);
      failed += skipped;
      skipped = 0;
      process.exitCode = 1;
    }
    lines.push(`${passed} passed, ${failed} failed${skipped > 0 ? `, ${skipped} skipped` : ""}`);
    process.stdout.write(`\n${lines.join("\n")}\n`);
  }
}
