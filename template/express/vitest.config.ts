import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    setupFiles: ["test/setup.ts"],
    // Readiness tests wait for a dead dependency to time out (2 s budget).
    testTimeout: 15_000,
  },
});
