// One vitest run for the whole workspace: a project per package and app, sharing one embedded
// Azurite started by @blobkit/testing's globalSetup. Workspace packages resolve to their TypeScript
// sources through the `@blobkit/source` export condition, so tests never need a build first.
import { defineConfig } from "vitest/config";

// Vite replaces its default conditions when given a list, so the defaults are repeated here.
const conditions = ["@blobkit/source", "node", "development|production"];
const packages = ["auth", "testing", "containers", "blobs", "leases", "sas", "transfer"];

export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions } },
  test: {
    globalSetup: ["./packages/testing/src/globalSetup.ts"],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: "forks",
    reporters: process.env.CI ? ["default", "json"] : ["default"],
    outputFile: { json: "./artifacts/vitest-results.json" },
    projects: [
      ...packages.map((name) => ({
        extends: true as const,
        test: { name, root: `./packages/${name}`, include: ["test/**/*.test.ts"] },
      })),
      {
        extends: true as const,
        test: { name: "docs", root: "./apps/docs", include: ["test/**/*.test.ts"] },
      },
      {
        extends: true as const,
        test: {
          name: "bench",
          root: "./apps/bench",
          include: ["test/**/*.test.ts"],
          testTimeout: 180_000,
        },
      },
      {
        extends: true as const,
        test: {
          name: "reliability",
          root: "./apps/reliability",
          include: ["test/**/*.test.ts"],
          testTimeout: 180_000,
          hookTimeout: 180_000,
        },
      },
      {
        extends: true as const,
        test: {
          name: "e2e",
          root: "./apps/e2e",
          include: ["test/**/*.test.ts"],
          testTimeout: 600_000,
          hookTimeout: 600_000,
        },
      },
    ],
  },
});
