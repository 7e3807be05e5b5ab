// createUserDelegationSigner against the HTTPS emulator behind a counting proxy: one key request
// for a burst, refresh before expiry, a caller's signal, and the checks of its options and client.
import { BlobClient } from "@azure/storage-blob";
import { connect, isStorageError } from "@blobkit/auth";
import { createTestContainer } from "@blobkit/testing";
import { describe, expect, test } from "@blobkit/testing/vitest";
import { createUserDelegationSas, createUserDelegationSigner, parseSas } from "../src/index.js";
import { connectEntra, isKeyRequest, startCountingProxy } from "./helpers.js";

describe("the user delegation key cache", () => {
  test("100 concurrent SAS requests cause exactly one GetUserDelegationKey call", async ({
    azuriteHttps,
    tokenCredential,
  }) => {
    await using proxy = await startCountingProxy(azuriteHttps);
    const service = await connectEntra(proxy, tokenCredential);
    await using container = await createTestContainer(service, { prefix: "signer-burst" });
    await container.client.uploadBlockBlob("a.txt", "hello", 5);
    const signer = createUserDelegationSigner(service);
    const results = await Promise.all(
      Array.from({ length: 100 }, (_, index) =>
        createUserDelegationSas(
          signer,
          { container: container.name, blob: index % 2 ? "a.txt" : `b-${index}.txt` },
          { permissions: "r" },
        ),
      ),
    );
    expect(results).toHaveLength(100);
    expect(proxy.requests.filter(isKeyRequest)).toHaveLength(1);
    const keyTimes = new Set(
      results.map((r) => {
        const identity = parseSas(r.url).signedIdentity;
        return `${identity?.keyStartsOn?.toISOString()}|${identity?.keyExpiresOn?.toISOString()}`;
      }),
    );
    expect(keyTimes.size).toBe(1);
    // Later requests reuse the cached key, and the SAS made from it work.
    const later = await createUserDelegationSas(
      signer,
      { container: container.name, blob: "a.txt" },
      { permissions: "r" },
    );
    expect(proxy.requests.filter(isKeyRequest)).toHaveLength(1);
    const viaSas = new BlobClient(later.url.replace(proxy.blobEndpoint, azuriteHttps.blobEndpoint));
    expect((await viaSas.downloadToBuffer()).toString()).toBe("hello");
  });

  test("a key near expiry is replaced, a longer SAS gets a longer key, clearCache forgets it", async ({
    azuriteHttps,
    tokenCredential,
  }) => {
    await using proxy = await startCountingProxy(azuriteHttps);
    const service = await connectEntra(proxy, tokenCredential);
    let now = new Date();
    const signer = createUserDelegationSigner(service, {
      keyLifetimeMs: 30 * 60_000,
      refreshBeforeMs: 5 * 60_000,
      now: () => now,
    });
    const keyRequests = () => proxy.requests.filter(isKeyRequest).length;
    const sasFor = (minutes: number) =>
      createUserDelegationSas(
        signer,
        { container: "reports", blob: "q1.pdf" },
        { permissions: "r", expiresOn: new Date(now.getTime() + minutes * 60_000) },
      );
    const keyOf = async (minutes: number) => parseSas((await sasFor(minutes)).url).signedIdentity;
    const first = await keyOf(10);
    expect(keyRequests()).toBe(1);
    expect(first?.keyExpiresOn?.getTime()).toBe(
      Math.floor((now.getTime() + 40 * 60_000) / 1000) * 1000,
    );

    now = new Date(now.getTime() + 20 * 60_000); // the key has 20 minutes left
    expect(await keyOf(10)).toEqual(first);
    expect(keyRequests()).toBe(1);

    now = new Date(now.getTime() + 16 * 60_000); // 4 minutes left: inside the refresh window
    const refreshed = await keyOf(2);
    expect(keyRequests()).toBe(2);
    expect(refreshed?.keyExpiresOn?.getTime()).toBeGreaterThan(first?.keyExpiresOn?.getTime() ?? 0);

    const long = await keyOf(3 * 24 * 60); // a 3-day SAS needs a key that covers it
    expect(keyRequests()).toBe(3);
    expect(long?.keyExpiresOn?.getTime()).toBeGreaterThanOrEqual(now.getTime() + 3 * 86_400_000);
    expect(await keyOf(60)).toEqual(long); // and shorter ones reuse that key
    expect(keyRequests()).toBe(3);

    signer.clearCache();
    await keyOf(60);
    expect(keyRequests()).toBe(4);
  });

  test("a caller's signal cancels its own wait, not the shared request", async ({
    azuriteHttps,
    tokenCredential,
  }) => {
    await using proxy = await startCountingProxy(azuriteHttps);
    const service = await connectEntra(proxy, tokenCredential);
    const signer = createUserDelegationSigner(service);
    const controller = new AbortController();
    const patient = signer.getUserDelegationKey();
    const impatient = signer.getUserDelegationKey({ signal: controller.signal });
    controller.abort();
    const error = await impatient.catch((e: unknown) => e);
    expect(isStorageError(error, "Aborted")).toBe(true);
    const key = await patient;
    expect(key.signedObjectId).toBe("00000000-0000-0000-0000-0000000b10b1");
    expect(await signer.getUserDelegationKey()).toBe(key);
    expect(proxy.requests.filter(isKeyRequest)).toHaveLength(1);
    const already = await signer
      .getUserDelegationKey({ signal: AbortSignal.abort() })
      .catch((e: unknown) => e);
    expect(isStorageError(already, "Aborted")).toBe(true);
  });

  test("signer options are checked", async ({ azuriteHttps, tokenCredential }) => {
    const service = await connectEntra(azuriteHttps, tokenCredential);
    const attempt = (options: Parameters<typeof createUserDelegationSigner>[1]) => {
      try {
        createUserDelegationSigner(service, options);
        return undefined;
      } catch (error) {
        return error as { code?: string; field?: string };
      }
    };
    expect(attempt({ keyLifetimeMs: 8 * 86_400_000 })).toMatchObject({ field: "keyLifetimeMs" });
    expect(attempt({ keyLifetimeMs: 1_000 })).toMatchObject({ field: "keyLifetimeMs" });
    expect(attempt({ keyLifetimeMs: 600_000, refreshBeforeMs: 600_000 })).toMatchObject({
      field: "refreshBeforeMs",
    });
    expect(attempt({ now: "soon" as never })).toMatchObject({ field: "now" });
    const signer = createUserDelegationSigner(service);
    const tooLate = await signer
      .getUserDelegationKey({ validUntil: new Date(Date.now() + 8 * 86_400_000) })
      .catch((e: unknown) => e);
    expect(tooLate).toMatchObject({ code: "InvalidArgument", field: "validUntil" });
  });
});

describe("createUserDelegationSigner refuses a client it cannot sign with", () => {
  test("a signer needs a Microsoft Entra ID client", async ({ azurite }) => {
    const keyed = await connect({ method: "emulator", emulator: azurite });
    const error = (() => {
      try {
        createUserDelegationSigner(keyed);
      } catch (e) {
        return e;
      }
    })();
    expect(isStorageError(error, "InvalidArgument")).toBe(true);
    expect((error as Error).message).toMatch(/Microsoft Entra ID.*createServiceSas/);
  });
});
