import {
  BlobServiceClient,
  ContainerClient,
  StorageSharedKeyCredential,
} from "@azure/storage-blob";
import { connect, isStorageError, type StorageError } from "@blobkit/auth";
import { runOperation } from "@blobkit/auth/kit";
import { expect, test } from "@blobkit/testing/vitest";
import { describe } from "vitest";
import { createAccountSas, createServiceSas, parseSas } from "../src/index.js";
import { connectEntra, expectNoSecrets, signatureOf } from "./helpers.js";

function thrown(run: () => unknown): StorageError {
  try {
    run();
  } catch (error) {
    return error as StorageError;
  }
  throw new Error("expected a throw");
}

describe("createServiceSas against the emulator (account key)", () => {
  test("a blob SAS reads but cannot write; on a loopback http emulator it allows http", async ({
    azurite,
    container,
  }) => {
    await container.client.uploadBlockBlob("a.txt", "hello", 5);
    const service = await connect({ method: "emulator", emulator: azurite });
    const sas = createServiceSas(
      service,
      { container: container.name, blob: "a.txt" },
      { permissions: ["read"] },
    );
    expect(sas).toMatchObject({ kind: "service", permissions: "r", protocol: "https,http" });
    const viaSas = await connect({
      method: "sas",
      accountUrl: azurite.blobEndpoint,
      sasToken: sas.token,
      retry: { maxTries: 1 },
    });
    const blob = viaSas.getContainerClient(container.name).getBlockBlobClient("a.txt");
    expect((await blob.downloadToBuffer()).toString()).toBe("hello");
    const error = await runOperation(
      { operation: "upload blob", client: viaSas, access: "write" },
      () => blob.upload("changed", 7),
    ).catch((e: unknown) => e);
    expect(isStorageError(error, "PermissionDenied")).toBe(true);
    expectNoSecrets(error, [signatureOf(sas.token)]);
  });

  test("a container SAS lists, and one with create and write uploads", async ({
    azurite,
    container,
  }) => {
    await container.client.uploadBlockBlob("x/1.txt", "1", 1);
    const service = await connect({ method: "emulator", emulator: azurite });
    const lister = new ContainerClient(
      createServiceSas(service, { container: container.name }, { permissions: "rl" }).url,
    );
    const names: string[] = [];
    for await (const item of lister.listBlobsFlat()) names.push(item.name);
    expect(names).toEqual(["x/1.txt"]);

    const uploader = new ContainerClient(
      createServiceSas(service, { container: container.name }, { permissions: "cw" }).url,
    );
    await uploader.uploadBlockBlob("x/2.txt", "2", 1);
    expect((await container.client.getBlobClient("x/2.txt").downloadToBuffer()).toString()).toBe(
      "2",
    );
  });

  test("a SAS bound to a stored access policy stops working when the policy is removed", async ({
    azurite,
    container,
  }) => {
    await container.client.uploadBlockBlob("a.txt", "hello", 5);
    await container.client.setAccessPolicy(undefined, [
      {
        id: "readers",
        accessPolicy: {
          permissions: "r",
          startsOn: new Date(Date.now() - 15 * 60_000),
          expiresOn: new Date(Date.now() + 60 * 60_000),
        },
      },
    ]);
    const service = await connect({ method: "emulator", emulator: azurite });
    const sas = createServiceSas(
      service,
      { container: container.name, blob: "a.txt" },
      { storedPolicyId: "readers" },
    );
    const query = new URLSearchParams(sas.token);
    expect(query.get("si")).toBe("readers");
    // the policy decides: BlobKit adds no start, expiry or permissions of its own
    expect(query.has("st") || query.has("se") || query.has("sp")).toBe(false);
    expect(parseSas(sas.url).storedPolicyId).toBe("readers");

    const viaSas = await connect({
      method: "sas",
      accountUrl: azurite.blobEndpoint,
      sasToken: sas.token,
      retry: { maxTries: 1 },
    });
    const blob = viaSas.getContainerClient(container.name).getBlobClient("a.txt");
    expect((await blob.downloadToBuffer()).toString()).toBe("hello");

    await container.client.setAccessPolicy(undefined, []);
    const error = await runOperation(
      { operation: "download blob", client: viaSas, access: "read" },
      () => blob.download(),
    ).catch((e: unknown) => e);
    expect(isStorageError(error)).toBe(true);
    expect((error as StorageError).statusCode).toBe(403);
    expectNoSecrets(error, [signatureOf(sas.token)]);
  });

  test("refuses unsafe or impossible requests with InvalidArgument", async ({ azurite }) => {
    const service = await connect({ method: "emulator", emulator: azurite });
    const blob = { container: "reports", blob: "a.txt" };
    const week = 7 * 86_400_000;
    expect(thrown(() => createServiceSas(service, blob, {}))).toMatchObject({
      code: "InvalidArgument",
      field: "permissions",
    });
    expect(
      thrown(() =>
        createServiceSas(service, blob, {
          permissions: "r",
          expiresOn: new Date(Date.now() + week + 60_000),
        }),
      ).message,
    ).toMatch(/more than 7 days unless you pass allowLongLived: true/);
    const longLived = createServiceSas(service, blob, {
      permissions: "r",
      expiresOn: new Date(Date.now() + 30 * 86_400_000),
      allowLongLived: true,
    });
    expect(parseSas(longLived.url).warnings.map((w) => w.code)).toContain("long-lived");
    expect(
      thrown(() => createServiceSas(service, blob, { permissions: "r", storedPolicyId: "" })),
    ).toMatchObject({ field: "storedPolicyId" });
    expect(
      thrown(() =>
        createServiceSas(service, blob, {
          permissions: "r",
          startsOn: new Date(Date.now() + 2 * 3_600_000),
          expiresOn: new Date(Date.now() + 3_600_000),
        }),
      ),
    ).toMatchObject({ field: "startsOn" });
    // a SAS that starts later lasts an hour from its start by default
    const later = createServiceSas(service, blob, {
      permissions: "r",
      startsOn: new Date(Date.now() + 2 * 3_600_000),
    });
    expect((later.expiresOn?.getTime() ?? 0) - (later.startsOn?.getTime() ?? 0)).toBe(3_600_000);
    expect(
      thrown(() =>
        createServiceSas(service, blob, { permissions: "r", ipRange: { start: "10.0.0.300" } }),
      ),
    ).toMatchObject({ field: "ipRange.start" });
    expect(
      thrown(() =>
        createServiceSas(service, blob, {
          permissions: "r",
          responseHeaders: { contentType: "text/plain\r\nx: y" },
        }),
      ),
    ).toMatchObject({ field: "responseHeaders.contentType" });

    const remote = new BlobServiceClient(
      "http://storage.example.com/devstoreaccount1",
      new StorageSharedKeyCredential(azurite.accountName, azurite.accountKey),
    );
    expect(thrown(() => createServiceSas(remote, blob, { permissions: "r" }))).toMatchObject({
      field: "allowHttp",
    });
    expect(createServiceSas(remote, blob, { permissions: "r", allowHttp: true }).protocol).toBe(
      "https,http",
    );
    const secure = new BlobServiceClient(
      "https://devstoreaccount1.blob.core.windows.net",
      new StorageSharedKeyCredential(azurite.accountName, azurite.accountKey),
    );
    expect(createServiceSas(secure, blob, { permissions: "r" }).protocol).toBe("https");
  });

  test("needs an account key client, and says what to use instead", async ({
    azuriteHttps,
    tokenCredential,
  }) => {
    const entra = await connectEntra(azuriteHttps, tokenCredential);
    const error = thrown(() =>
      createServiceSas(entra, { container: "reports" }, { permissions: "r" }),
    );
    expect(error).toMatchObject({ code: "InvalidArgument", field: "service" });
    expect(error.message).toMatch(/Microsoft Entra ID: create a user delegation SAS/);
    expect(
      thrown(() => createAccountSas(entra, { permissions: "r", resourceTypes: "o" })).message,
    ).toMatch(/createUserDelegationSigner/);
  });
});

describe("createAccountSas against the emulator", () => {
  test("lists containers and reads, and refuses writes it does not grant", async ({
    azurite,
    container,
  }) => {
    await container.client.uploadBlockBlob("a.txt", "hello", 5);
    const service = await connect({ method: "emulator", emulator: azurite });
    const sas = createAccountSas(service, {
      permissions: ["read", "list"],
      resourceTypes: ["service", "container", "object"],
    });
    expect(sas).toMatchObject({ kind: "account", permissions: "rl" });
    const viaSas = await connect({
      method: "sas",
      accountUrl: azurite.blobEndpoint,
      sasToken: sas.token,
      retry: { maxTries: 1 },
    });
    const names: string[] = [];
    for await (const item of viaSas.listContainers({ prefix: container.name })) {
      names.push(item.name);
    }
    expect(names).toEqual([container.name]);
    const blob = viaSas.getContainerClient(container.name).getBlockBlobClient("a.txt");
    expect((await blob.downloadToBuffer()).toString()).toBe("hello");
    const error = await runOperation(
      { operation: "upload blob", client: viaSas, access: "write" },
      () => blob.upload("changed", 7),
    ).catch((e: unknown) => e);
    expect(isStorageError(error, "PermissionDenied")).toBe(true);
  });

  test("checks permissions and resource types", async ({ azurite }) => {
    const service = await connect({ method: "emulator", emulator: azurite });
    expect(
      thrown(() => createAccountSas(service, { permissions: "rp", resourceTypes: "o" })).message,
    ).toMatch(/'p' \(process\) is not valid for an account SAS for the blob service/);
    expect(thrown(() => createAccountSas(service, { permissions: "r" } as never))).toMatchObject({
      field: "resourceTypes",
    });
    expect(
      thrown(() => createAccountSas(service, { permissions: "r", resourceTypes: "x" })),
    ).toMatchObject({ field: "resourceTypes" });
    expect(createAccountSas(service, { permissions: "lr", resourceTypes: "oc" }).token).toMatch(
      /srt=co&/,
    );
  });
});
