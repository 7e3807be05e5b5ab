// toStorageError() and the explanations behind it: an expired or tampered SAS, a missing SAS
// permission or Azure role, each said so that the reader knows what to do, with no secret leaked.
import { existsSync } from "node:fs";
import { open, writeFile } from "node:fs/promises";
import { type AddressInfo, createConnection, createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
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
import { accountSas, expectNoSecrets } from "./helpers.js";

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
    const tampered = sas.replace(/sig=([^&]+)/, (_m, sig: string) => {
      // Change the first character to a different one: always replacing it with "A" left one
      // signature in 64 unchanged, and the test then failed at random.
      const raw = decodeURIComponent(sig);
      return `sig=${encodeURIComponent(`${raw.startsWith("A") ? "B" : "A"}${raw.slice(1)}`)}`;
    });
    expect(tampered).not.toBe(sas);
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

describe("a local file failure is a FileSystemError, a socket failure a NetworkError", () => {
  test("real fs errors (open in a missing folder, write to a full disk) become FileSystemError naming the path; a refused socket stays NetworkError", async () => {
    const missing = join(tmpdir(), `blobkit-missing-${process.pid}-${Date.now()}`, "a.txt");
    const openError = await open(missing, "w").catch((e: unknown) => e);
    expect(openError).toMatchObject({ code: "ENOENT", syscall: "open" });
    const fromOpen = toStorageError(openError, {
      operation: "download blob",
      resource: "blob 'c/a.txt'",
    });
    expect(fromOpen.code).toBe("FileSystemError");
    expect(fromOpen.message).toContain(`'${missing}'`);
    expect(fromOpen.message).toMatch(/does not exist while opening .*\(ENOENT\): check the path/);
    expect(fromOpen.message).not.toMatch(/could not reach|firewall/);
    expect(fromOpen.cause).toMatchObject({ code: "ENOENT", syscall: "open", path: missing });

    // A write on an open file carries no path: /dev/full answers every write with ENOSPC.
    if (existsSync("/dev/full")) {
      const full = await writeFile("/dev/full", "x").catch((e: unknown) => e);
      expect(full).toMatchObject({ code: "ENOSPC", syscall: "write" });
      const fromWrite = toStorageError(full, { operation: "download blob" });
      expect(fromWrite.code).toBe("FileSystemError");
      expect(fromWrite.message).toMatch(
        /the disk is full while writing .*: free space and run it again/,
      );
    }

    // A socket error: connect to a port that was just closed.
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const refused = await new Promise<unknown>((resolve) =>
      createConnection(port, "127.0.0.1").on("error", resolve),
    );
    expect(refused).toMatchObject({ code: "ECONNREFUSED", syscall: "connect" });
    expect(toStorageError(refused, { operation: "get properties" }).code).toBe("NetworkError");
  });
});

describe("the emulator's own refusals", () => {
  test("a tag with an empty value (Azure accepts 0-256 characters) refused by Azurite with a bare 400 says the emulator refuses it", async ({
    azurite,
    container,
  }) => {
    const service = await connect({
      method: "emulator",
      emulator: azurite,
      retry: { maxTries: 1 },
    });
    const blob = service.getContainerClient(container.name).getBlockBlobClient("tagged.txt");
    await blob.upload("x", 1);
    const error = await runOperation(
      {
        operation: "set blob tags",
        resource: `blob '${container.name}/tagged.txt'`,
        client: service,
        access: "tag",
      },
      () => blob.setTags({ reviewed: "" }),
    ).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "BadRequest", statusCode: 400 });
    expect((error as Error).message).toMatch(
      /failed \(400\): no details\. The emulator \(Azurite\) refuses a tag with an empty value, which Azure accepts/,
    );
    // Another 400 from Azurite gets the general note; one from elsewhere gets none.
    const general = toStorageError(
      new RestError("The value for one of the HTTP headers is not in the correct format.", {
        statusCode: 400,
        code: "InvalidHeaderValue",
      }),
      { operation: "upload blob", client: service },
    );
    expect(general.message).toMatch(/Azurite refuses some requests Azure accepts/);
    const azure = toStorageError(
      new RestError("The value for one of the HTTP headers is not in the correct format.", {
        statusCode: 400,
        code: "InvalidHeaderValue",
      }),
      { operation: "upload blob", client: { url: "https://myaccount.blob.core.windows.net" } },
    );
    expect(azure.message).not.toMatch(/Azurite/);
  });
});
