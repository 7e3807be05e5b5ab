// Vitest fixtures over the emulators that `@blobkit/testing/globalSetup` starts once per run.
import { BlobServiceClient, StorageSharedKeyCredential } from "@azure/storage-blob";
import { test as base, expect, inject } from "vitest";
import type { BlobKitProvidedContext } from "./globalSetup.js";
import { trustCertificateInProcess, useLoopbackCertificate } from "./internal/certificate.js";
import type { AzuriteConnection } from "./startAzurite.js";
import { createTestContainer, type TestContainer } from "./testContainer.js";
import { createEmulatorTokenCredential, type EmulatorTokenCredential } from "./tokenCredential.js";

declare module "vitest" {
  export interface ProvidedContext extends BlobKitProvidedContext {}
}

/** The fixtures {@link test} adds. */
export interface BlobKitFixtures {
  /** The shared plain-HTTP emulator. */
  azurite: AzuriteConnection;
  /** The shared HTTPS emulator with Entra ID emulation; its certificate is trusted. */
  azuriteHttps: AzuriteConnection;
  /** A key-authorized client of {@link BlobKitFixtures.azurite}. */
  serviceClient: BlobServiceClient;
  /** A fresh token credential for {@link BlobKitFixtures.azuriteHttps}. */
  tokenCredential: EmulatorTokenCredential;
  /** A uniquely named container on {@link BlobKitFixtures.azurite}, deleted after the test. */
  container: TestContainer;
}

/**
 * Returns the shared plain emulator's connection (from `globalSetup`).
 *
 * @example
 * ```ts
 * import { connect } from "@blobkit/auth";
 * import { injectAzurite } from "@blobkit/testing/vitest";
 *
 * const service = await connect({ method: "emulator", emulator: injectAzurite() });
 * ```
 */
export function injectAzurite(): AzuriteConnection {
  return inject("blobkit:azurite");
}

/**
 * Returns the shared HTTPS emulator's connection and trusts its certificate in this worker.
 *
 * @example
 * ```ts
 * import { BlobServiceClient } from "@azure/storage-blob";
 * import { createEmulatorTokenCredential } from "@blobkit/testing";
 * import { injectAzuriteHttps } from "@blobkit/testing/vitest";
 *
 * const azurite = injectAzuriteHttps();
 * const service = new BlobServiceClient(azurite.blobEndpoint, createEmulatorTokenCredential());
 * ```
 */
export function injectAzuriteHttps(): AzuriteConnection {
  const connection = inject("blobkit:azurite-https");
  if (connection.certificate && connection.certificateKey) {
    useLoopbackCertificate({
      certificate: connection.certificate,
      privateKey: connection.certificateKey,
    });
    trustCertificateInProcess(connection.certificate);
  }
  return connection;
}

/**
 * Vitest's `test` with BlobKit fixtures. Needs `@blobkit/testing/globalSetup` in `globalSetup`.
 *
 * @example
 * ```ts
 * import { test } from "@blobkit/testing/vitest";
 *
 * test("uploads", async ({ container }) => {
 *   await container.client.uploadBlockBlob("a.txt", "hi", 2);
 * });
 * ```
 */
export const test = base.extend<BlobKitFixtures>({
  // biome-ignore lint/correctness/noEmptyPattern: vitest fixtures need an object pattern
  azurite: async ({}, use) => {
    await use(injectAzurite());
  },
  // biome-ignore lint/correctness/noEmptyPattern: vitest fixtures need an object pattern
  azuriteHttps: async ({}, use) => {
    await use(injectAzuriteHttps());
  },
  serviceClient: async ({ azurite }, use) => {
    await use(
      new BlobServiceClient(
        azurite.blobEndpoint,
        new StorageSharedKeyCredential(azurite.accountName, azurite.accountKey),
      ),
    );
  },
  // biome-ignore lint/correctness/noEmptyPattern: vitest fixtures need an object pattern
  tokenCredential: async ({}, use) => {
    await use(createEmulatorTokenCredential());
  },
  container: async ({ serviceClient, task }, use) => {
    const container = await createTestContainer(serviceClient, { prefix: task.name.slice(0, 20) });
    try {
      await use(container);
    } finally {
      await container.dispose();
    }
  },
});

/**
 * Asserts that no secret (account key, SAS signature, token), raw or URL-encoded, appears in an
 * error or value: its message, stack, `String()` and JSON forms, and every `cause` down the chain.
 *
 * @example
 * ```ts
 * import { connect } from "@blobkit/auth";
 * import { expectNoSecrets } from "@blobkit/testing/vitest";
 *
 * declare const accountUrl: string;
 * declare const sasToken: string;
 * const error = await connect({ method: "sas", accountUrl, sasToken }).catch((e: unknown) => e);
 * expectNoSecrets(error, [new URLSearchParams(sasToken).get("sig") ?? ""]);
 * ```
 */
export function expectNoSecrets(value: unknown, secrets: readonly string[]): void {
  const texts: string[] = [];
  const asJson = (item: unknown) => {
    try {
      texts.push(JSON.stringify(item) ?? "");
    } catch {
      // A circular structure has no JSON form to leak through.
    }
  };
  let current: unknown = value;
  for (let depth = 0; current !== undefined && current !== null && depth < 10; depth++) {
    if (current instanceof Error) {
      texts.push(current.message, current.stack ?? "", String(current));
      asJson(current);
      current = current.cause;
      continue;
    }
    texts.push(String(current));
    if (typeof current !== "string") asJson(current);
    break;
  }
  const text = texts.join("\n");
  for (const secret of secrets) {
    expect(secret.length, "a secret to look for").toBeGreaterThan(0);
    expect(text, "the text leaks a secret").not.toContain(secret);
    expect(text, "the text leaks a URL-encoded secret").not.toContain(encodeURIComponent(secret));
  }
}

export { describe, expect } from "vitest";
