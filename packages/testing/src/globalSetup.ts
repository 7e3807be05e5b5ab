// A vitest globalSetup that starts one plain and one HTTPS + Entra ID emulator for a whole test
// run and provides their connection details to every test file (see `@blobkit/testing/vitest`).
import { type AzuriteConnection, startAzurite } from "./startAzurite.js";

/** Keys under which {@link setup} provides the emulators to tests via vitest's `inject`. */
export interface BlobKitProvidedContext {
  "blobkit:azurite": AzuriteConnection;
  "blobkit:azurite-https": AzuriteConnection;
}

/** The part of vitest's `TestProject` that the setup uses. */
export interface ProvideTarget {
  provide<K extends keyof BlobKitProvidedContext>(key: K, value: BlobKitProvidedContext[K]): void;
}

/**
 * Starts the shared emulators. Reference it from `vitest.config.ts`:
 *
 * @example
 * ```ts
 * // vitest.config.ts
 * import { defineConfig } from "vitest/config";
 *
 * export default defineConfig({
 *   test: { globalSetup: ["@blobkit/testing/globalSetup"] },
 * });
 * ```
 */
export default async function setup(project: ProvideTarget): Promise<() => Promise<void>> {
  const [plain, secure] = await Promise.all([startAzurite(), startAzurite({ https: true })]);
  project.provide("blobkit:azurite", plain.toJSON());
  project.provide("blobkit:azurite-https", secure.toJSON());
  return async () => {
    await Promise.all([plain.stop(), secure.stop()]);
  };
}
