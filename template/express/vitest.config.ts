import { defineConfig } from "vitest/config";

// test/users/ and test/posts/ empty the users and posts tables before each
// test, so they run on their own, after every other file has finished writing them.
const EMPTIES_TABLES = ["test/users/**/*.test.ts", "test/posts/**/*.test.ts"];

export default defineConfig({
  test: {
    setupFiles: ["test/setup.ts"],
    // Generous limits: the tests assert outcomes and counts, never speed, and Argon2id
    // (64 MiB per hash) on a busy CI machine can take seconds per sign-in.
    testTimeout: 30_000,
    hookTimeout: 30_000,
    projects: [
      {
        extends: true,
        test: { name: "service", include: ["test/**/*.test.ts"], exclude: EMPTIES_TABLES, sequence: { groupOrder: 0 } },
      },
      { extends: true, test: { name: "tables", include: EMPTIES_TABLES, sequence: { groupOrder: 1 } } },
    ],
  },
});
