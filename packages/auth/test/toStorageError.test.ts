// toStorageError() and the explanations behind it: an expired or tampered SAS, a missing SAS
// permission or Azure role, each said so that the reader knows what to do, with no secret leaked.
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
