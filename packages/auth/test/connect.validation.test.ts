// connect() checks every option before any request: each mistake is an InvalidArgument naming
// its field, and no message repeats a key.
import { readFile } from "node:fs/promises";
import { describe, expect, test } from "vitest";
import { type ConnectOptions, connect, StorageError } from "../src/index.js";

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

test("the root README shows every way to connect that connect() accepts", async () => {
  // connect() names its methods when given an unknown one: the README must show each of them.
  const error = (await connect({ method: "none" } as never).catch((e: unknown) => e)) as Error;
  const listed = error.message.split("; got")[0] ?? "";
  const methods = [...listed.matchAll(/"(\w+)"/g)].map((match) => match[1]);
  expect(methods).toEqual(["entra", "sas", "accountKey", "connectionString", "emulator"]);
  const readme = await readFile(new URL("../../../README.md", import.meta.url), "utf8");
  for (const method of methods) {
    expect(readme, method).toContain(`connect({ method: "${method}"`);
  }
});
