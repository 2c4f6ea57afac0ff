import { defineConfig } from "vitest/config";

/** The sample run of test/unit/prerequisites.test.ts: one file, and the project's summary line. */
export default defineConfig({
  test: {
    include: ["test/prerequisites/sample.check.ts"],
    reporters: ["./test/summary-reporter.ts"],
  },
});
