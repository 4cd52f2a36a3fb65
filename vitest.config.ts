import { availableParallelism } from "node:os";
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Seeds fast-check for every property test (see the file).
    setupFiles: ["test/setup/fast-check.ts"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: "forks",
    // Vitest leaves a core free by default, which on a 2-core CI machine means one test file at a time;
    // the suite is dominated by a few CPU-bound simulation files, so use every core.
    maxWorkers: availableParallelism(),
  },
});
