// diagnoseConnection(): one fast try with its own deadline, a SAS checked with a request its scope
// allows (a container or blob SAS against its container or blob), a cancelled check that throws,
// and a failed Entra ID sign-in explained by the credential that was expected to work.
import type { AccessToken, TokenCredential } from "@azure/core-auth";
import { ChainedTokenCredential, CredentialUnavailableError } from "@azure/identity";
import {
  BlobSASPermissions,
  ContainerSASPermissions,
  generateBlobSASQueryParameters,
  StorageSharedKeyCredential,
} from "@azure/storage-blob";
import { type AzuriteConnection, startSilentServer } from "@blobkit/testing";
import { describe, expect, test } from "@blobkit/testing/vitest";
import { connect, diagnoseConnection, type StorageError } from "../src/index.js";
import { accountSas, expectNoSecrets } from "./helpers.js";

/** A service SAS for one container (sr=c) or one blob (sr=b), signed with the account key. */
function serviceSas(
  azurite: AzuriteConnection,
  permissions: string,
  containerName: string,
  blobName?: string,
): string {
  return generateBlobSASQueryParameters(
    {
      containerName,
      ...(blobName ? { blobName } : {}),
      permissions: blobName
        ? BlobSASPermissions.parse(permissions)
        : ContainerSASPermissions.parse(permissions),
      startsOn: new Date(Date.now() - 15 * 60_000),
      expiresOn: new Date(Date.now() + 3_600_000),
    },
    new StorageSharedKeyCredential(azurite.accountName, azurite.accountKey),
  ).toString();
}

const sigOf = (sas: string) => new URLSearchParams(sas).get("sig") ?? "";

describe("a SAS made for one container or blob is checked against it", () => {
  test("connect({ method: 'sas', verify: true }) with a container SAS and the container's URL: verified, and the client is the account's", async ({
    azurite,
    container,
  }) => {
    await container.client.uploadBlockBlob("a.txt", "hello", 5);
    const sasToken = serviceSas(azurite, "rl", container.name);
    const service = await connect({
      method: "sas",
      accountUrl: `${azurite.blobEndpoint}/${container.name}`,
      sasToken,
      verify: true,
      retry: { maxTries: 1 },
    });
    // Rooted at the account, not silently at the container.
    expect(service.url.split("?")[0]).toBe(azurite.blobEndpoint);
    const names: string[] = [];
    for await (const blob of service.getContainerClient(container.name).listBlobsFlat()) {
      names.push(blob.name);
    }
    expect(names).toEqual(["a.txt"]);
    const diagnosis = await diagnoseConnection(service);
    expect(diagnosis).toMatchObject({
      ok: true,
      credential: "sas",
      sas: { resource: "container", container: container.name, permissions: "rl" },
    });
    expect(diagnosis.summary).toMatch(
      new RegExp(`The SAS reaches container '${container.name}' with permissions 'rl' until `),
    );
    expectNoSecrets(diagnosis, [sigOf(sasToken)]);
  });

  test("the container option, or the container's client, says the same; without either the check says what is missing", async ({
    azurite,
    container,
  }) => {
    const sasToken = serviceSas(azurite, "rl", container.name);
    const named = await connect({
      method: "sas",
      accountUrl: azurite.blobEndpoint,
      sasToken,
      container: container.name,
      verify: true,
    });
    expect((await diagnoseConnection(named)).ok).toBe(true);

    const unnamed = await connect({ method: "sas", accountUrl: azurite.blobEndpoint, sasToken });
    expect(await diagnoseConnection(unnamed.getContainerClient(container.name))).toMatchObject({
      ok: true,
      sas: { resource: "container", container: container.name },
    });
    const unknown = await diagnoseConnection(unnamed);
    expect(unknown).toMatchObject({ ok: false, latencyMs: 0, sas: { resource: "container" } });
    expect(unknown.error).toMatchObject({ code: "InvalidArgument", field: "container" });
    expect(unknown.summary).toMatch(/made for one container \(sr=c\).*getContainerClient/);
    await expect(
      connect({ method: "sas", accountUrl: azurite.blobEndpoint, sasToken, verify: true }),
    ).rejects.toMatchObject({ code: "InvalidArgument", field: "container" });
    await expect(
      connect({
        method: "sas",
        accountUrl: `${azurite.blobEndpoint}/${container.name}`,
        sasToken,
        container: "another",
      }),
    ).rejects.toMatchObject({ code: "InvalidArgument", field: "container" });
  });

  test("a write-only container SAS is accepted (its signature is checked before its permissions); a SAS checked against another container is not", async ({
    azurite,
    container,
  }) => {
    const writeOnly = serviceSas(azurite, "cw", container.name);
    const service = await connect({
      method: "sas",
      accountUrl: `${azurite.blobEndpoint}/${container.name}`,
      sasToken: writeOnly,
      verify: true,
    });
    const diagnosis = await diagnoseConnection(service);
    expect(diagnosis).toMatchObject({ ok: true, sas: { permissions: "cw" } });
    expect(diagnosis.account).toBeUndefined();
    expect(diagnosis.summary).toMatch(/do not allow reading account information/);

    const elsewhere = await connect({
      method: "sas",
      accountUrl: `${azurite.blobEndpoint}/not-${container.name}`.slice(0, 200),
      sasToken: serviceSas(azurite, "rl", container.name),
      retry: { maxTries: 1 },
    });
    const refused = await diagnoseConnection(elsewhere);
    expect(refused.error?.code).toBe("AuthenticationFailed");
    expect(refused.error?.message).toMatch(
      /checked against container 'not-.*if it was made for another one/,
    );
  });

  test("a blob SAS (sr=b) with the blob's URL is verified against the blob", async ({
    azurite,
    container,
  }) => {
    await container.client.uploadBlockBlob("dir/q1.csv", "a,b", 3);
    const service = await connect({
      method: "sas",
      accountUrl: `${azurite.blobEndpoint}/${container.name}/dir/q1.csv`,
      sasToken: serviceSas(azurite, "r", container.name, "dir/q1.csv"),
      verify: true,
    });
    expect(service.url.split("?")[0]).toBe(azurite.blobEndpoint);
    expect(await diagnoseConnection(service)).toMatchObject({
      ok: true,
      sas: { resource: "blob", container: container.name, blob: "dir/q1.csv" },
    });
  });

  test("an account SAS is still checked against the account", async ({ azurite }) => {
    const service = await connect({
      method: "sas",
      accountUrl: azurite.blobEndpoint,
      sasToken: accountSas(azurite, "rl"),
    });
    expect(await diagnoseConnection(service)).toMatchObject({
      ok: true,
      sas: { resource: "account", resourceTypes: "sco", permissions: "rl" },
    });
  });
});

describe("a diagnosis answers fast and a cancelled one throws", () => {
  test("a closed port is a NetworkError after one try, at once, whatever the client's retries", async () => {
    const hole = await startSilentServer();
    await hole.stop();
    // Default retries: 4 tries with backoff took 4.6 s before.
    const service = await connect({ method: "emulator", emulator: hole });
    const started = performance.now();
    const diagnosis = await diagnoseConnection(service);
    expect(diagnosis.error).toMatchObject({ code: "NetworkError", tries: 1 });
    expect(performance.now() - started).toBeLessThan(1_500);
  });

  test("a silent endpoint is a Timeout at the check's own deadline, with one connection", async () => {
    await using silent = await startSilentServer();
    const service = await connect({ method: "emulator", emulator: silent });
    const started = performance.now();
    const diagnosis = await diagnoseConnection(service, { timeoutMs: 300 });
    const elapsed = performance.now() - started;
    expect(diagnosis.ok).toBe(false);
    expect(diagnosis.error).toMatchObject({ code: "Timeout", tries: 1 });
    expect(diagnosis.error?.message).toMatch(/got no answer within 300 ms \(the check's timeoutMs/);
    expect(elapsed).toBeGreaterThanOrEqual(290);
    expect(elapsed).toBeLessThan(2_000);
    expect(silent.connections).toBe(1);
    await expect(diagnoseConnection(service, { timeoutMs: 0 })).rejects.toMatchObject({
      code: "InvalidArgument",
      field: "timeoutMs",
    });
  });

  test("a cancelled check throws Aborted, already cancelled or cancelled while it waits", async () => {
    await using silent = await startSilentServer();
    const service = await connect({ method: "emulator", emulator: silent });
    await expect(
      diagnoseConnection(service, { signal: AbortSignal.abort() }),
    ).rejects.toMatchObject({ name: "StorageError", code: "Aborted" });
    expect(silent.connections).toBe(0);
    const started = performance.now();
    await expect(
      diagnoseConnection(service, { signal: AbortSignal.timeout(100) }),
    ).rejects.toMatchObject({ code: "Aborted", operation: "check connection" });
    expect(performance.now() - started).toBeLessThan(1_000);
  });
});

describe("a failed Microsoft Entra ID sign-in names the credential that was expected to work", () => {
  /** A credential of a chain that fails as @azure/identity's do, without any network. */
  const unavailable = (message: string): TokenCredential => ({
    getToken: async (): Promise<AccessToken> => {
      throw new CredentialUnavailableError(message);
    },
  });
  const environment = unavailable(
    "EnvironmentCredential is unavailable. No underlying credential could be used. To troubleshoot, visit https://aka.ms/azsdk/js/identity/environmentcredential/troubleshoot.",
  );
  const managedIdentity = unavailable(
    "ManagedIdentityCredential: Authentication failed. Message Attempted to use the IMDS endpoint, but it is not available.",
  );
  const cliSignedOut = unavailable(
    "Please run 'az login' from a command prompt to authenticate before using this credential.",
  );
  const cliMissing = unavailable(
    "Azure CLI could not be found. Please visit https://aka.ms/azure-cli for installation instructions and then, once installed, authenticate to your Azure account using 'az login'.",
  );

  async function signInError(credential: TokenCredential): Promise<StorageError | undefined> {
    // The token is asked for before any request leaves: nothing is sent to this host.
    const service = await connect({
      method: "entra",
      accountUrl: "https://myaccount.blob.core.windows.net",
      credential,
    });
    return (await diagnoseConnection(service)).error;
  }

  test("the Azure CLI is installed but signed out: its advice, in one message, not the chain's dump", async () => {
    const error = await signInError(
      new ChainedTokenCredential(environment, managedIdentity, cliSignedOut),
    );
    expect(error?.code).toBe("AuthenticationFailed");
    expect(error?.message).toBe(
      "Check connection (https://myaccount.blob.core.windows.net) failed: Microsoft Entra ID sign-in failed with AzureCliCredential: Please run 'az login' from a command prompt to authenticate before using this credential. Run 'az login' (in the tenant of the storage account), then try again.",
    );
    expect(error?.message).not.toMatch(/ChainedTokenCredential|IMDS|\n/);
  });

  test("nothing available: the credentials tried, and the ways to sign in", async () => {
    const error = await signInError(
      new ChainedTokenCredential(environment, managedIdentity, cliMissing),
    );
    expect(error?.code).toBe("AuthenticationFailed");
    expect(error?.message).toMatch(
      /no credential could be used \(tried EnvironmentCredential, ManagedIdentityCredential, AzureCliCredential\)\. No sign-in is available here: run 'az login'/,
    );
    expect(error?.message).not.toMatch(/\n/);
  });

  test("environment variables set: the environment credential's failure is the one shown", async () => {
    const saved = { ...process.env };
    Object.assign(process.env, {
      AZURE_TENANT_ID: "00000000-0000-0000-0000-000000000001",
      AZURE_CLIENT_ID: "00000000-0000-0000-0000-000000000002",
      AZURE_CLIENT_SECRET: "not-a-real-secret-1234",
    });
    try {
      const error = await signInError(
        new ChainedTokenCredential(environment, managedIdentity, cliSignedOut),
      );
      expect(error?.message).toMatch(
        /sign-in failed with EnvironmentCredential: EnvironmentCredential is unavailable.*Check AZURE_TENANT_ID, AZURE_CLIENT_ID and AZURE_CLIENT_SECRET/,
      );
      expectNoSecrets(error, ["not-a-real-secret-1234"]);
    } finally {
      for (const key of ["AZURE_TENANT_ID", "AZURE_CLIENT_ID", "AZURE_CLIENT_SECRET"]) {
        if (saved[key] === undefined) delete process.env[key];
        else process.env[key] = saved[key];
      }
    }
  });
});
