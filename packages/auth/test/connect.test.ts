import { expect, test } from "@blobkit/testing/vitest";
import { describe } from "vitest";
import { connect, diagnoseConnection, isStorageError } from "../src/index.js";
import { accountSas, expectNoSecrets } from "./helpers.js";

describe("connect() against the embedded Azurite", () => {
  test("Microsoft Entra ID over HTTPS with an injected token credential", async ({
    azuriteHttps,
    tokenCredential,
  }) => {
    const service = await connect({
      method: "entra",
      accountUrl: azuriteHttps.blobEndpoint,
      credential: tokenCredential,
      verify: true,
    });
    const name = `entra-${Date.now()}`;
    await service.getContainerClient(name).create();
    await service.getContainerClient(name).delete();
    expect(tokenCredential.tokenRequests).toBeGreaterThan(0);
  });

  test("SAS token", async ({ azurite }) => {
    const service = await connect({
      method: "sas",
      accountUrl: azurite.blobEndpoint,
      sasToken: `?${accountSas(azurite, "rwdlac")}`,
    });
    const diagnosis = await diagnoseConnection(service);
    expect(diagnosis).toMatchObject({ ok: true, credential: "sas" });
  });

  test("account key", async ({ azurite }) => {
    const service = await connect({
      method: "accountKey",
      accountName: azurite.accountName,
      accountKey: azurite.accountKey,
      accountUrl: azurite.blobEndpoint,
    });
    expect(await diagnoseConnection(service)).toMatchObject({ ok: true, credential: "accountKey" });
  });

  test("connection string", async ({ azurite }) => {
    const service = await connect({
      method: "connectionString",
      connectionString: azurite.connectionString,
      verify: true,
    });
    expect(service.accountName).toBe("devstoreaccount1");
  });

  test("emulator, with the key and with a token", async ({
    azurite,
    azuriteHttps,
    tokenCredential,
  }) => {
    const keyed = await connect({ method: "emulator", emulator: azurite, verify: true });
    expect((await diagnoseConnection(keyed)).ok).toBe(true);
    const token = await connect({
      method: "emulator",
      emulator: azuriteHttps,
      credential: tokenCredential,
      verify: true,
    });
    expect((await diagnoseConnection(token)).credential).toBe("entra");
  });

  test("verify: true throws a StorageError that explains a wrong account key", async ({
    azurite,
  }) => {
    const wrongKey = Buffer.alloc(64, 7).toString("base64");
    const error = await connect({
      method: "accountKey",
      accountName: azurite.accountName,
      accountKey: wrongKey,
      accountUrl: azurite.blobEndpoint,
      verify: true,
      retry: { maxTries: 1 },
    }).catch((e: unknown) => e);
    expect(isStorageError(error, "AuthenticationFailed")).toBe(true);
    expect((error as Error).message).toMatch(/account key is wrong/);
    expect((error as { statusCode?: number }).statusCode).toBe(403);
    expectNoSecrets(error, [wrongKey, azurite.accountKey]);
  });
});
