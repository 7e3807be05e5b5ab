// createUserDelegationSas against the HTTPS emulator with Microsoft Entra ID: what a user
// delegation SAS allows and refuses, tampered and expired tokens, and the checks of its options.
import { BlobClient, ContainerClient } from "@azure/storage-blob";
import { isStorageError, StorageError } from "@blobkit/auth";
import { runOperation } from "@blobkit/auth/kit";
import { createTestContainer } from "@blobkit/testing";
import { describe, expect, expectNoSecrets, test } from "@blobkit/testing/vitest";
import { createUserDelegationSas, createUserDelegationSigner, parseSas } from "../src/index.js";
import { connectEntra, connectWithSas, createEntraContainer, signatureOf } from "./helpers.js";

describe("createUserDelegationSas against the HTTPS emulator with Microsoft Entra ID", () => {
  test("a blob SAS grants exactly the permissions asked: read works, write is refused", async ({
    azuriteHttps,
    tokenCredential,
  }) => {
    await using container = await createEntraContainer(azuriteHttps, tokenCredential, "uds-read");
    const { signer } = container;
    await container.client.uploadBlockBlob("report.txt", "quarterly", 9);
    const sas = await createUserDelegationSas(
      signer,
      { container: container.name, blob: "report.txt" },
      { permissions: "r" },
    );
    expect(sas).toMatchObject({ kind: "user-delegation", permissions: "r", protocol: "https" });
    expect(sas.url.startsWith(`${azuriteHttps.blobEndpoint}/${container.name}/report.txt?`)).toBe(
      true,
    );

    const viaSas = await connectWithSas(azuriteHttps.blobEndpoint, sas.token);
    const blob = viaSas.getContainerClient(container.name).getBlockBlobClient("report.txt");
    expect((await blob.downloadToBuffer()).toString()).toBe("quarterly");

    const error = await runOperation(
      { operation: "upload blob", resource: "blob 'report.txt'", client: viaSas, access: "write" },
      () => blob.upload("overwritten", 11),
    ).catch((e: unknown) => e);
    expect(isStorageError(error, "PermissionDenied")).toBe(true);
    expect((error as StorageError).statusCode).toBe(403);
    expectNoSecrets(error, [signatureOf(sas.token)]);
    expect((await container.client.getBlobClient("report.txt").downloadToBuffer()).toString()).toBe(
      "quarterly",
    );
  });

  test("a container SAS with list permission lists the container", async ({
    azuriteHttps,
    tokenCredential,
  }) => {
    await using container = await createEntraContainer(azuriteHttps, tokenCredential, "uds-list");
    const { signer } = container;
    await container.client.uploadBlockBlob("a.txt", "a", 1);
    await container.client.uploadBlockBlob("b/c.txt", "c", 1);
    const sas = await createUserDelegationSas(
      signer,
      { container: container.name },
      { permissions: ["read", "list"] },
    );
    expect(sas.permissions).toBe("rl");
    const client = new ContainerClient(sas.url);
    const names: string[] = [];
    for await (const item of client.listBlobsFlat()) names.push(item.name);
    expect(names.sort()).toEqual(["a.txt", "b/c.txt"]);
  });

  test("an expired SAS is refused with AuthenticationFailed", async ({
    azuriteHttps,
    tokenCredential,
  }) => {
    const service = await connectEntra(azuriteHttps, tokenCredential, { maxTries: 1 });
    await using container = await createTestContainer(service, { prefix: "uds-expired" });
    await container.client.uploadBlockBlob("a.txt", "a", 1);
    // A signer whose clock is three hours behind makes a one-hour SAS that expired two hours ago.
    const signer = createUserDelegationSigner(service, {
      now: () => new Date(Date.now() - 3 * 3_600_000),
    });
    const sas = await createUserDelegationSas(
      signer,
      { container: container.name, blob: "a.txt" },
      { permissions: "r" },
    );
    expect(parseSas(sas.url).expired).toBe(true);
    const blob = new BlobClient(sas.url, undefined, { retryOptions: { maxTries: 1 } });
    // download() is a GET: its error body says why; a HEAD answer has no body to tell from.
    const error = await runOperation(
      { operation: "download blob", client: blob, access: "read" },
      () => blob.download(),
    ).catch((e: unknown) => e);
    expect(isStorageError(error, "AuthenticationFailed")).toBe(true);
    expect((error as Error).message).toMatch(/expired/);
    expectNoSecrets(error, [signatureOf(sas.token)]);
  });

  test("tampered tokens are refused: a widened permission and an altered signature", async ({
    azuriteHttps,
    tokenCredential,
  }) => {
    await using container = await createEntraContainer(azuriteHttps, tokenCredential, "uds-tamper");
    const { signer } = container;
    await container.client.uploadBlockBlob("a.txt", "original", 8);
    const sas = await createUserDelegationSas(
      signer,
      { container: container.name, blob: "a.txt" },
      { permissions: "r" },
    );
    const widened = sas.url.replace("sp=r&", "sp=rw&");
    expect(widened).not.toBe(sas.url);
    const sig = signatureOf(sas.url);
    const altered = sas.url.replace(
      encodeURIComponent(sig),
      encodeURIComponent(`${sig[0] === "A" ? "B" : "A"}${sig.slice(1)}`),
    );
    expect(altered).not.toBe(sas.url);

    const write = new BlobClient(widened, undefined, { retryOptions: { maxTries: 1 } });
    const writeError = await runOperation(
      { operation: "upload blob", client: write, access: "write" },
      () => write.getBlockBlobClient().upload("changed", 7),
    ).catch((e: unknown) => e);
    expect(isStorageError(writeError, "AuthenticationFailed")).toBe(true);

    const read = new BlobClient(altered, undefined, { retryOptions: { maxTries: 1 } });
    const readError = await runOperation(
      { operation: "download blob", client: read, access: "read" },
      () => read.download(),
    ).catch((e: unknown) => e);
    expect(isStorageError(readError, "AuthenticationFailed")).toBe(true);
    expect((readError as Error).message).toMatch(/signature does not match/);
    expectNoSecrets(readError, [sig]);
    expect((await container.client.getBlobClient("a.txt").downloadToBuffer()).toString()).toBe(
      "original",
    );
  });

  test("the SAS records the signed identity and never outlives its delegation key", async ({
    azuriteHttps,
    tokenCredential,
  }) => {
    const service = await connectEntra(azuriteHttps, tokenCredential);
    const signer = createUserDelegationSigner(service);
    const sas = await createUserDelegationSas(
      signer,
      { container: "reports", blob: "q1.pdf" },
      { permissions: "r", expiresOn: new Date(Date.now() + 3 * 24 * 3_600_000) },
    );
    const description = parseSas(sas.url);
    expect(description.signedIdentity?.objectId).toBe("00000000-0000-0000-0000-0000000b10b1");
    expect(description.signedIdentity?.tenantId).toBe("00000000-0000-0000-0000-00000000b10b");
    const keyExpiresOn = description.signedIdentity?.keyExpiresOn;
    expect(keyExpiresOn && sas.expiresOn && keyExpiresOn >= sas.expiresOn).toBe(true);
  });
});

describe("createUserDelegationSas refuses unsafe or impossible requests before any request", () => {
  test("invalid inputs give InvalidArgument naming the field", async ({
    azuriteHttps,
    tokenCredential,
  }) => {
    const service = await connectEntra(azuriteHttps, tokenCredential);
    const signer = createUserDelegationSigner(service);
    const blob = { container: "reports", blob: "q1.pdf" };
    const cases: Array<[() => Promise<unknown>, string, RegExp]> = [
      [
        () => createUserDelegationSas(signer, blob, {} as never),
        "permissions",
        /never grants all permissions/,
      ],
      [() => createUserDelegationSas(signer, blob, { permissions: "" }), "permissions", /is empty/],
      [
        () => createUserDelegationSas(signer, blob, { permissions: "rl" }),
        "permissions",
        /'l' \(list\) is not valid for a blob SAS.*container SAS/,
      ],
      [
        () => createUserDelegationSas(signer, blob, { permissions: "rz" }),
        "permissions",
        /'z' is not valid/,
      ],
      [
        () => createUserDelegationSas(signer, blob, { permissions: ["read", "fly" as never] }),
        "permissions",
        /"fly" is not a permission name/,
      ],
      [
        () =>
          createUserDelegationSas(signer, blob, {
            permissions: "r",
            expiresOn: new Date(Date.now() + 8 * 24 * 3_600_000),
          }),
        "expiresOn",
        /cannot outlive its delegation key.*7 days/,
      ],
      [
        () =>
          createUserDelegationSas(signer, blob, {
            permissions: "r",
            expiresOn: new Date(Date.now() - 1_000),
          }),
        "expiresOn",
        /not in the future/,
      ],
      [
        () =>
          createUserDelegationSas(signer, blob, {
            permissions: "r",
            ipRange: { start: "10.0.0.9", end: "10.0.0.1" },
          }),
        "ipRange",
        /comes before/,
      ],
      [
        () =>
          createUserDelegationSas(
            signer,
            { container: "reports", blob: "a", directory: "b" },
            { permissions: "r" },
          ),
        "target",
        /not both/,
      ],
      [
        () => createUserDelegationSas(signer, { container: "Reports" }, { permissions: "r" }),
        "target.container",
        /lowercase/,
      ],
    ];
    for (const [run, field, message] of cases) {
      const error = await run().catch((e: unknown) => e);
      expect(error, field).toBeInstanceOf(StorageError);
      expect((error as StorageError).code).toBe("InvalidArgument");
      expect((error as StorageError).field).toBe(field);
      expect((error as Error).message).toMatch(message);
    }
    // "allowLongLived" cannot lift the key's limit
    const longLived = await createUserDelegationSas(signer, blob, {
      permissions: "r",
      expiresOn: new Date(Date.now() + 8 * 24 * 3_600_000),
      allowLongLived: true,
    } as never).catch((e: unknown) => e);
    expect(isStorageError(longLived, "InvalidArgument")).toBe(true);
  });
});
