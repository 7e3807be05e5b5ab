// connectFromEnv(): which variables it reads, which it prefers, and errors that name a variable
// without showing its value.
import { createConnection } from "node:net";
import { startSilentServer } from "@blobkit/testing";
import { describe, expect, test } from "@blobkit/testing/vitest";
import { connectFromEnv, type StorageError } from "../src/index.js";
import { accountSas, expectNoSecrets } from "./helpers.js";

const KEY = Buffer.alloc(64, 9).toString("base64");

describe("connectFromEnv()", () => {
  test("names the variables to set when nothing is configured", async () => {
    const error = (await connectFromEnv({ env: {} }).catch((e: unknown) => e)) as StorageError;
    expect(error.code).toBe("InvalidArgument");
    expect(error.message).toMatch(/AZURE_STORAGE_CONNECTION_STRING.*AZURE_STORAGE_ACCOUNT_URL/);
  });

  test("names the variable that is wrong, not its value", async () => {
    const error = (await connectFromEnv({
      env: { AZURE_STORAGE_ACCOUNT_NAME: "myaccount", AZURE_STORAGE_ACCOUNT_KEY: "c2VjcmV0!!" },
    }).catch((e: unknown) => e)) as StorageError;
    expect(error.field).toBe("AZURE_STORAGE_ACCOUNT_KEY");
    expect(error.message).not.toContain("c2VjcmV0");
  });

  test("requires the account name with a key", async () => {
    const error = (await connectFromEnv({
      env: {
        AZURE_STORAGE_ACCOUNT_URL: "https://a.blob.core.windows.net",
        AZURE_STORAGE_ACCOUNT_KEY: KEY,
      },
    }).catch((e: unknown) => e)) as StorageError;
    expect(error.field).toBe("AZURE_STORAGE_ACCOUNT_NAME");
  });

  test("prefers a connection string", async () => {
    const service = await connectFromEnv({
      env: {
        AZURE_STORAGE_CONNECTION_STRING: "UseDevelopmentStorage=true",
        AZURE_STORAGE_ACCOUNT_NAME: "x",
      },
    });
    expect(service.accountName).toBe("devstoreaccount1");
  });
});

/** Whether something listens on a loopback port (Azurite's standard 10000 may be taken). */
function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection(port, "127.0.0.1");
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

const free10000 = !(await listening(10_000));

describe("connectFromEnv({ verify: true }) reports a failed connection as connect() does", () => {
  const fail = async (env: Record<string, string>) =>
    (await connectFromEnv({ env, verify: true, retry: { maxTries: 1 } }).catch(
      (e: unknown) => e,
    )) as StorageError;

  test("a wrong key (connection string or AZURE_STORAGE_ACCOUNT_KEY) is AuthenticationFailed with the status", async ({
    azurite,
  }) => {
    const wrongKey = Buffer.alloc(64, 7).toString("base64");
    const fromString = await fail({
      AZURE_STORAGE_CONNECTION_STRING: azurite.connectionString.replace(
        azurite.accountKey,
        wrongKey,
      ),
    });
    expect(fromString).toMatchObject({ code: "AuthenticationFailed", statusCode: 403 });
    expect(fromString.field).toBeUndefined();
    const fromKey = await fail({
      AZURE_STORAGE_ACCOUNT_URL: azurite.blobEndpoint,
      AZURE_STORAGE_ACCOUNT_NAME: azurite.accountName,
      AZURE_STORAGE_ACCOUNT_KEY: wrongKey,
    });
    expect(fromKey).toMatchObject({ code: "AuthenticationFailed", statusCode: 403 });
    expectNoSecrets(fromKey, [wrongKey]);
  });

  test("a closed port is a NetworkError", async ({ azurite }) => {
    const hole = await startSilentServer();
    await hole.stop();
    const error = await fail({
      AZURE_STORAGE_CONNECTION_STRING: azurite.connectionString.replace(
        azurite.blobEndpoint,
        hole.blobEndpoint,
      ),
    });
    expect(error).toMatchObject({ code: "NetworkError" });
    expect(error.message).toContain(`127.0.0.1:${hole.port}`);
  });

  test.skipIf(!free10000)(
    "UseDevelopmentStorage=true with nothing on port 10000 is a NetworkError (skipped when something listens on 10000)",
    async () => {
      const error = await fail({ AZURE_STORAGE_CONNECTION_STRING: "UseDevelopmentStorage=true" });
      expect(error).toMatchObject({ code: "NetworkError" });
      expect(error.message).toMatch(/127\.0\.0\.1:10000.*ECONNREFUSED/);
    },
  );

  test("an expired AZURE_STORAGE_SAS_TOKEN is AuthenticationFailed naming the variable; a tampered one is refused by the service with its status", async ({
    azurite,
  }) => {
    const expired = accountSas(azurite, "rl", -60_000);
    const error = await fail({
      AZURE_STORAGE_ACCOUNT_URL: azurite.blobEndpoint,
      AZURE_STORAGE_SAS_TOKEN: expired,
    });
    expect(error).toMatchObject({ code: "AuthenticationFailed", field: "AZURE_STORAGE_SAS_TOKEN" });
    expect(error.message).toMatch(/^Invalid AZURE_STORAGE_SAS_TOKEN: it expired at /);
    const valid = accountSas(azurite, "rl");
    const tampered = valid.replace(/sig=([^&]+)/, "sig=AAAA");
    const refused = await fail({
      AZURE_STORAGE_ACCOUNT_URL: azurite.blobEndpoint,
      AZURE_STORAGE_SAS_TOKEN: tampered,
    });
    expect(refused).toMatchObject({ code: "AuthenticationFailed", statusCode: 403 });
    expectNoSecrets(refused, [new URLSearchParams(valid).get("sig") ?? ""]);
  });

  test("only a malformed value is InvalidArgument naming its variable; a quoted one is fine", async ({
    azurite,
  }) => {
    const malformed = await fail({ AZURE_STORAGE_CONNECTION_STRING: "AccountName=x" });
    expect(malformed).toMatchObject({
      code: "InvalidArgument",
      field: "AZURE_STORAGE_CONNECTION_STRING",
    });
    const service = await connectFromEnv({
      env: { AZURE_STORAGE_CONNECTION_STRING: `"${azurite.connectionString}"` },
      verify: true,
    });
    expect(service.url).toBe(azurite.blobEndpoint);
  });
});
