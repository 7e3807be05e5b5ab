// connectFromEnv(): which variables it reads, which it prefers, and errors that name a variable
// without showing its value.
import { describe, expect, test } from "vitest";
import { connectFromEnv, type StorageError } from "../src/index.js";

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
