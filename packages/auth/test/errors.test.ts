import { RestError } from "@azure/core-rest-pipeline";
import { expect, test } from "@blobkit/testing/vitest";
import { describe } from "vitest";
import {
  connect,
  diagnoseConnection,
  isStorageError,
  StorageError,
  toStorageError,
} from "../src/index.js";
import { runOperation } from "../src/kit.js";
import { accountSas, expectNoSecrets, startBlackHole, startFlakyProxy } from "./helpers.js";

const sigOf = (sas: string) => new URLSearchParams(sas).get("sig") ?? "";

describe("errors say what to do and leak no secret", () => {
  test("an expired SAS is refused by the service with AuthenticationFailed", async ({
    azurite,
  }) => {
    const sas = accountSas(azurite, "rl", 1_500);
    const service = await connect({
      method: "sas",
      accountUrl: azurite.blobEndpoint,
      sasToken: sas,
      retry: { maxTries: 1 },
    });
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    const diagnosis = await diagnoseConnection(service);
    expect(diagnosis.ok).toBe(false);
    expect(diagnosis.error?.code).toBe("AuthenticationFailed");
    expect(diagnosis.error?.message).toMatch(/SAS token expired at .*Create a new SAS/);
    expectNoSecrets(diagnosis.error, [sigOf(sas)]);
    // A HEAD request gets a 403 without an error body; the expiry still explains it.
    const head = await runOperation(
      { operation: "get container properties", client: service, access: "read" },
      () => service.getContainerClient("any").getProperties(),
    ).catch((e: unknown) => e);
    expect(isStorageError(head, "AuthenticationFailed")).toBe(true);
    expect((head as Error).message).toMatch(/SAS token expired/);
  });

  test("an already expired SAS is rejected by connect() before any request", async ({
    azurite,
  }) => {
    const sas = accountSas(azurite, "rl", -60_000);
    const error = await connect({
      method: "sas",
      accountUrl: azurite.blobEndpoint,
      sasToken: sas,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StorageError);
    expect((error as StorageError).field).toBe("sasToken");
    expect((error as StorageError).message).toMatch(/expired at/);
    expectNoSecrets(error, [sigOf(sas)]);
  });

  test("a SAS without the needed permission names the missing permission", async ({ azurite }) => {
    const sas = accountSas(azurite, "rl");
    const service = await connect({
      method: "sas",
      accountUrl: azurite.blobEndpoint,
      sasToken: sas,
    });
    const container = service.getContainerClient(`perm-${Date.now()}`);
    const error = await runOperation(
      {
        operation: "create container",
        resource: `container '${container.containerName}'`,
        client: service,
        access: "create",
      },
      () => container.create(),
    ).catch((e: unknown) => e);
    expect(isStorageError(error, "PermissionDenied")).toBe(true);
    expect((error as Error).message).toMatch(/grants 'rl'.*permission c \(create\)/);
    expectNoSecrets(error, [sigOf(sas)]);
  });

  test("a tampered SAS signature is reported as not matching", async ({ azurite }) => {
    const sas = accountSas(azurite, "rl");
    const tampered = sas.replace(
      /sig=([^&]+)/,
      (_m, sig: string) => `sig=${encodeURIComponent(`A${decodeURIComponent(sig).slice(1)}`)}`,
    );
    const service = await connect({
      method: "sas",
      accountUrl: azurite.blobEndpoint,
      sasToken: tampered,
      retry: { maxTries: 1 },
    });
    const { error } = await diagnoseConnection(service);
    expect(error?.code).toBe("AuthenticationFailed");
    expect(error?.message).toMatch(/signature does not match/);
    expectNoSecrets(error, [sigOf(tampered), sigOf(sas)]);
  });

  test("contract: an Entra ID identity without the data role is told which role to assign", async ({
    azuriteHttps,
    tokenCredential,
  }) => {
    // Azurite has no RBAC, so this feeds the documented 403 response to the one converter.
    const service = await connect({
      method: "entra",
      accountUrl: azuriteHttps.blobEndpoint,
      credential: tokenCredential,
    });
    const rest = new RestError(
      "This request is not authorized to perform this operation using this permission.\nRequestId:abc",
      { statusCode: 403, code: "AuthorizationPermissionMismatch" },
    );
    const error = toStorageError(rest, {
      operation: "upload blob",
      client: service,
      access: "write",
    });
    expect(error.code).toBe("PermissionDenied");
    expect(error.message).toMatch(/Assign 'Storage Blob Data Contributor'/);
    const token =
      (await tokenCredential.getToken("https://storage.azure.com/.default"))?.token ?? "";
    expectNoSecrets(error, [token]);
  });
});

describe("per-try timeout and retries", () => {
  test("a server that accepts connections but never answers fails within tryTimeout x tries", async () => {
    const hole = await startBlackHole();
    try {
      const service = await connect({
        method: "accountKey",
        accountName: "devstoreaccount1",
        accountKey: Buffer.alloc(64, 1).toString("base64"),
        accountUrl: hole.url,
        retry: { maxTries: 3, tryTimeoutMs: 300, retryDelayMs: 20, maxRetryDelayMs: 40 },
      });
      const started = performance.now();
      const { error } = await diagnoseConnection(service);
      const elapsed = performance.now() - started;
      expect(error?.code).toBe("Timeout");
      expect(error?.tries).toBe(3);
      expect(error?.message).toMatch(/per-try timeout on 3 tries/);
      // 3 x 300 ms plus at most 2 x 40 ms of backoff, plus scheduling slack.
      expect(elapsed).toBeGreaterThanOrEqual(900);
      expect(elapsed).toBeLessThan(900 + 80 + 1_000);
      expect(hole.connections).toBe(3);
    } finally {
      await hole.close();
    }
  });

  test("the caller's AbortSignal stops a hanging request at once", async () => {
    const hole = await startBlackHole();
    try {
      const service = await connect({
        method: "accountKey",
        accountName: "devstoreaccount1",
        accountKey: Buffer.alloc(64, 1).toString("base64"),
        accountUrl: hole.url,
        retry: { tryTimeoutMs: 60_000 },
      });
      const controller = new AbortController();
      setTimeout(() => controller.abort(), 100);
      const started = performance.now();
      const { error } = await diagnoseConnection(service, { signal: controller.signal });
      expect(error?.code).toBe("Aborted");
      expect(performance.now() - started).toBeLessThan(1_000);
    } finally {
      await hole.close();
    }
  });

  test("503 bursts are retried with backoff and reported to onRetry", async ({ azurite }) => {
    const proxy = await startFlakyProxy(azurite.blobEndpoint, 2);
    try {
      const events: Array<{ attempt: number; reason: string }> = [];
      const service = await connect({
        method: "emulator",
        emulator: { ...azurite, blobEndpoint: proxy.url },
        retry: {
          retryDelayMs: 10,
          onRetry: (e) => events.push({ attempt: e.attempt, reason: e.reason }),
        },
      });
      expect((await diagnoseConnection(service)).ok).toBe(true);
      expect(events).toEqual([
        { attempt: 1, reason: "throttled" },
        { attempt: 2, reason: "throttled" },
      ]);
    } finally {
      await proxy.close();
    }
  });

  test("when every try is throttled the error says so and counts the tries", async ({
    azurite,
  }) => {
    const proxy = await startFlakyProxy(azurite.blobEndpoint, 100);
    try {
      const service = await connect({
        method: "emulator",
        emulator: { ...azurite, blobEndpoint: proxy.url },
        retry: { maxTries: 3, retryDelayMs: 5 },
      });
      const { error } = await diagnoseConnection(service);
      expect(error?.code).toBe("Throttled");
      expect(error?.tries).toBe(3);
      expect(proxy.requests).toBe(3);
    } finally {
      await proxy.close();
    }
  });

  test("a refused connection is a NetworkError naming the host", async () => {
    const hole = await startBlackHole();
    const url = hole.url;
    await hole.close();
    const service = await connect({
      method: "emulator",
      emulator: {
        blobEndpoint: url,
        accountName: "devstoreaccount1",
        accountKey: Buffer.alloc(64).toString("base64"),
      },
      retry: { maxTries: 2, retryDelayMs: 5 },
    });
    const { error } = await diagnoseConnection(service);
    expect(error?.code).toBe("NetworkError");
    expect(error?.message).toMatch(/ECONNREFUSED/);
    expect(error?.message).toContain(new URL(url).host);
  });
});
