import { describe, expect, test } from "vitest";
import { type ConnectOptions, connect, connectFromEnv, StorageError } from "../src/index.js";
import { redactSecrets } from "../src/internal/redact.js";
import { backoff } from "../src/kit.js";

const KEY = Buffer.alloc(64, 9).toString("base64");

async function rejection(options: ConnectOptions): Promise<StorageError> {
  const error = await connect(options).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(StorageError);
  expect((error as StorageError).code).toBe("InvalidArgument");
  expect((error as StorageError).message).not.toContain(KEY);
  return error as StorageError;
}

describe("connect() validates before any request", () => {
  test.each([
    [{ method: "entra", accountUrl: "not a url" }, "accountUrl", /not a URL/],
    [
      { method: "entra", accountUrl: "http://myaccount.blob.core.windows.net" },
      "accountUrl",
      /plain http/,
    ],
    [{ method: "entra", accountUrl: "ftp://x" }, "accountUrl", /https/],
    [
      { method: "sas", accountUrl: "https://a.blob.core.windows.net", sasToken: "sp=r" },
      "sasToken",
      /lacks 'sv', 'sig', 'se'/,
    ],
    [
      {
        method: "sas",
        accountUrl: "https://a.blob.core.windows.net?sv=1",
        sasToken: "sv=1&se=2030-01-01&sig=x",
      },
      "accountUrl",
      /query string/,
    ],
    [
      { method: "accountKey", accountName: "My_Account", accountKey: KEY },
      "accountName",
      /3-24 lowercase/,
    ],
    [
      { method: "accountKey", accountName: "myaccount", accountKey: `${KEY}!` },
      "accountKey",
      /not a base64/,
    ],
    [
      { method: "connectionString", connectionString: `AccountName=a;AcountKey=${KEY}` },
      "connectionString",
      /unknown key 'AcountKey'/,
    ],
    [
      { method: "connectionString", connectionString: "AccountName=abc" },
      "connectionString",
      /neither AccountKey nor SharedAccessSignature/,
    ],
    [{ method: "nope" } as unknown as ConnectOptions, "method", /must be one of/],
    [{ method: "emulator", retry: { maxTries: 0 } }, "retry.maxTries", /integer from 1 to 20/],
  ] as Array<[ConnectOptions, string, RegExp]>)("%j -> %s", async (options, field, message) => {
    const error = await rejection(options);
    expect(error.field).toBe(field);
    expect(error.message).toMatch(message);
  });

  test("http is accepted for loopback emulators and, with allowHttp, elsewhere", async () => {
    await expect(
      connect({
        method: "accountKey",
        accountName: "abc",
        accountKey: KEY,
        accountUrl: "http://127.0.0.1:10000/abc",
      }),
    ).resolves.toBeDefined();
    await expect(
      connect({
        method: "accountKey",
        accountName: "abc",
        accountKey: KEY,
        accountUrl: "http://azurite:10000/abc",
        allowHttp: true,
      }),
    ).resolves.toBeDefined();
  });

  test("UseDevelopmentStorage=true connects to the standard Azurite endpoint", async () => {
    const service = await connect({
      method: "connectionString",
      connectionString: "UseDevelopmentStorage=true",
    });
    expect(service.url).toMatch(/^http:\/\/127\.0\.0\.1:10000\/devstoreaccount1/);
  });
});

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

describe("retry delays", () => {
  const settings = { retryDelayMs: 800, maxRetryDelayMs: 30_000, jitter: true };
  test("grow exponentially, with jitter between half and all of the delay", () => {
    expect(backoff(1, settings, undefined, () => 0)).toBe(400);
    expect(backoff(1, settings, undefined, () => 1)).toBe(800);
    expect(backoff(3, settings, undefined, () => 1)).toBe(3_200);
    expect(backoff(20, settings, undefined, () => 1)).toBe(30_000);
  });
  test("honour Retry-After up to the maximum", () => {
    expect(backoff(1, settings, 5_000)).toBe(5_000);
    expect(backoff(1, settings, 120_000)).toBe(30_000);
  });
});

describe("redactSecrets", () => {
  test.each([
    [`https://a.blob.core.windows.net/c?sv=2024&sig=abc%2Bdef&se=1`, "abc%2Bdef"],
    [`AccountName=a;AccountKey=${KEY};`, KEY],
    ["Authorization: Bearer eyJhbGciOi.eyJzdWIiOiIx.c2ln", "eyJhbGciOi"],
    [`SharedKey devstoreaccount1:${"a".repeat(43)}=`, "a".repeat(43)],
    [`key ${KEY} alone`, KEY],
  ])("%s", (text, secret) => {
    expect(redactSecrets(text)).not.toContain(secret);
  });
});
