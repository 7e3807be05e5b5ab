// createServiceSas against the emulator: what a service SAS allows and refuses, a stored access
// policy revoking it, and the checks of its options, which fail naming the field.
import {
  BlobServiceClient,
  ContainerClient,
  StorageSharedKeyCredential,
} from "@azure/storage-blob";
import { connect, diagnoseConnection, isStorageError, type StorageError } from "@blobkit/auth";
import { runOperation } from "@blobkit/auth/kit";
import { describe, expect, expectNoSecrets, test } from "@blobkit/testing/vitest";
import { createAccountSas, createServiceSas, parseSas } from "../src/index.js";
import { connectEntra, connectWithSas, signatureOf, thrown } from "./helpers.js";

describe("createServiceSas against the emulator (account key)", () => {
  test("a container SAS is verified by connect({ verify: true }) with its URL, and diagnoseConnection reports its reach", async ({
    azurite,
    container,
  }) => {
    const service = await connect({ method: "emulator", emulator: azurite });
    const sas = createServiceSas(
      service,
      { container: container.name },
      {
        permissions: ["read", "list"],
      },
    );
    // What createServiceSas gives: the container's URL (before '?') and the token.
    const viaSas = await connect({
      method: "sas",
      accountUrl: sas.url.slice(0, sas.url.indexOf("?")),
      sasToken: sas.token,
      verify: true,
      retry: { maxTries: 1 },
    });
    const diagnosis = await diagnoseConnection(viaSas);
    expect(diagnosis).toMatchObject({
      ok: true,
      sas: { resource: "container", container: container.name, permissions: "rl" },
    });
    expectNoSecrets(diagnosis, [signatureOf(sas.token)]);
  });

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
    const viaSas = await connectWithSas(azurite.blobEndpoint, sas.token);
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

    const viaSas = await connectWithSas(azurite.blobEndpoint, sas.token);
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

// Found by the reliability suite's property tests: odd values and odd names get an InvalidArgument
// naming the field, never a TypeError or the SDK's URIError.
const invalid = (field: string) => expect.objectContaining({ code: "InvalidArgument", field });

/** An account key client of a port nothing listens on: these checks send no request. */
async function keyService() {
  return connect({
    method: "emulator",
    emulator: {
      blobEndpoint: "http://127.0.0.1:9/devstoreaccount1",
      accountName: "devstoreaccount1",
      accountKey: Buffer.alloc(64).toString("base64"),
    },
  });
}

describe("SAS input that used to throw something else", () => {
  test("BigInt permission words, resource types and IP addresses", async () => {
    const service = await keyService();
    expect(() =>
      createServiceSas(service, { container: "ccc" }, { permissions: [10n] } as never),
    ).toThrow(invalid("permissions"));
    expect(() =>
      createAccountSas(service, { permissions: "r", resourceTypes: [10n] } as never),
    ).toThrow(invalid("resourceTypes"));
    expect(() =>
      createServiceSas(service, { container: "ccc" }, {
        permissions: "r",
        ipRange: { start: 10n },
      } as never),
    ).toThrow(invalid("ipRange.start"));
  });

  test("blob and directory names with unpaired surrogates or dot segments", async () => {
    const service = await keyService();
    const loneSurrogate = `a${String.fromCharCode(0xd800)}b`;
    for (const blob of [loneSurrogate, "..", ".", "a/../b", "a/./b"]) {
      expect(() =>
        createServiceSas(service, { container: "ccc", blob }, { permissions: "r" }),
      ).toThrow(invalid("target.blob"));
    }
    for (const directory of [loneSurrogate, "..", "a/..", "./a"]) {
      expect(() =>
        createServiceSas(service, { container: "ccc", directory }, { permissions: "r" }),
      ).toThrow(invalid("target.directory"));
    }
    expect(() =>
      createServiceSas(service, { container: "ccc" }, { storedPolicyId: loneSurrogate }),
    ).toThrow(invalid("storedPolicyId"));
    expect(() =>
      createServiceSas(
        service,
        { container: "ccc" },
        { permissions: "r", responseHeaders: { contentType: loneSurrogate } },
      ),
    ).toThrow(invalid("responseHeaders.contentType"));
    // Dots inside names are fine.
    expect(
      createServiceSas(service, { container: "ccc", blob: "a..b/.c" }, { permissions: "r" }).url,
    ).toContain("/ccc/a..b/.c?");
  });
});
