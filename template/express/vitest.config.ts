import { defineConfig } from "vitest/config";

// test/api/ (renders without auth) empties the users and posts tables before each
// test, so it runs on its own, after every other file has finished writing them.
const EMPTIES_TABLES = ["test/api/**/*.test.ts"];

export default defineConfig({
  test: {
    setupFiles: ["test/setup.ts"],
    // Readiness tests wait for a dead dependency to time out (2 s budget).
    testTimeout: 15_000,
    projects: [
      {
        extends: true,
        test: { name: "service", include: ["test/**/*.test.ts"], exclude: EMPTIES_TABLES, sequence: { groupOrder: 0 } },
      },
      { extends: true, test: { name: "tables", include: EMPTIES_TABLES, sequence: { groupOrder: 1 } } },
    ],
  },
});
