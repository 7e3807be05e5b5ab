import { createServer } from "node:net";
import { inspect } from "node:util";
import { ContainerSASPermissions, StorageSharedKeyCredential } from "@azure/storage-blob";
import { startAzurite } from "@blobkit/testing";
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

  test("Shared Key clients hold the key as a KeyObject: util.inspect never shows it, and requests and SAS still sign", async ({
    azurite,
  }) => {
    const key = Buffer.from(azurite.accountKey, "base64");
    // How Node prints a Buffer: its first bytes in hex, separated by spaces.
    const printed = [...key.subarray(0, 8)].map((b) => b.toString(16).padStart(2, "0")).join(" ");
    const shows = (value: unknown) => inspect(value, { depth: 10 }).includes(printed);
    // Control: the SDK's own credential prints the key's bytes.
    expect(shows(new StorageSharedKeyCredential(azurite.accountName, azurite.accountKey))).toBe(
      true,
    );
    const clients = {
      accountKey: await connect({
        method: "accountKey",
        accountName: azurite.accountName,
        accountKey: azurite.accountKey,
        accountUrl: azurite.blobEndpoint,
      }),
      connectionString: await connect({
        method: "connectionString",
        connectionString: azurite.connectionString,
      }),
      emulator: await connect({ method: "emulator", emulator: azurite }),
    };
    for (const [method, service] of Object.entries(clients)) {
      expect(shows(service.credential), method).toBe(false);
      expect(shows(service), method).toBe(false);
      const container = service.getContainerClient(
        `keyobject-${method.toLowerCase()}-${Date.now()}`,
      );
      await container.create();
      try {
        await container.getBlockBlobClient("a.txt").upload("hello", 5);
        // A SAS signed with the same credential is accepted by the service.
        const sasUrl = await container.generateSasUrl({
          permissions: ContainerSASPermissions.parse("r"),
          expiresOn: new Date(Date.now() + 600_000),
        });
        const response = await fetch(sasUrl.replace("?", "/a.txt?"));
        expect(response.status, method).toBe(200);
        expect(await response.text(), method).toBe("hello");
      } finally {
        await container.delete();
      }
    }
  });
});

/** Whether this machine can listen on the IPv6 loopback address. */
async function hasIpv6Loopback(): Promise<boolean> {
  const probe = createServer();
  return new Promise((resolve) => {
    probe.once("error", () => resolve(false));
    probe.listen(0, "::1", () => probe.close(() => resolve(true)));
  });
}

test.skipIf(!(await hasIpv6Loopback()))(
  "connect() reaches an emulator on the IPv6 loopback (http://[::1]:port), which the SDK alone cannot (skipped where the machine has no IPv6 loopback)",
  async () => {
    await using azurite = await startAzurite({ host: "::1" });
    const service = await connect({
      method: "emulator",
      emulator: azurite,
      verify: true,
      retry: { maxTries: 1 },
    });
    await service.getContainerClient("ipv6").create();
    expect(await service.getContainerClient("ipv6").exists()).toBe(true);
  },
);
