import { existsSync, readdirSync } from "node:fs";

import { defineConfig } from "vitest/config";

// test/setup.ts, then each task's own (test/<task>/setup.ts), before every test file.
const SETUP_FILES = [
  "test/setup.ts",
  ...readdirSync("test", { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(`test/${entry.name}/setup.ts`))
    .map((entry) => `test/${entry.name}/setup.ts`),
];

// test/users/ and test/posts/ empty the users and posts tables before each
// test, so they run on their own, after every other file has finished writing them.
const EMPTIES_TABLES = ["test/users/**/*.test.ts", "test/posts/**/*.test.ts"];

export default defineConfig({
  test: {
    setupFiles: SETUP_FILES,
    // Generous limits: the tests assert outcomes and counts, never speed, and a busy CI
    // machine can be slow.
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Test files share their worker's modules instead of importing the service again each:
    // that import was two thirds of the suite's time. So a test may not rely on fresh module
    // state; each file builds its own app, pools and clients and closes them.
    isolate: false,
    projects: [
      {
        extends: true,
        test: { name: "service", include: ["test/**/*.test.ts"], exclude: EMPTIES_TABLES, sequence: { groupOrder: 0 } },
      },
      { extends: true, test: { name: "tables", include: EMPTIES_TABLES, sequence: { groupOrder: 1 } } },
    ],
  },
});
