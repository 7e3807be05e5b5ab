// Odd values (BigInt, symbols, null-prototype objects, null) get an InvalidArgument naming the
// field, never a TypeError; and a connection string reaches the SDK exactly as BlobKit checked it
// (found by the reliability suite's property tests).
import { AZURITE_ACCOUNT_KEY } from "@blobkit/testing";
import { describe, expect, test } from "@blobkit/testing/vitest";
import { connect } from "../src/index.js";
import { resolveRetryOptions } from "../src/kit.js";

const ODD: unknown[] = [10n, Symbol("odd"), Object.create(null), [Object.create(null)]];
const invalid = (field: string) => expect.objectContaining({ code: "InvalidArgument", field });

describe("odd values", () => {
  test("retry options: null, BigInt, symbols and null-prototype objects", () => {
    expect(() => resolveRetryOptions(null as never)).toThrow(invalid("retry"));
    for (const value of ODD) {
      expect(() => resolveRetryOptions({ maxTries: value } as never)).toThrow(
        invalid("retry.maxTries"),
      );
      expect(() => resolveRetryOptions({ secondaryHost: value } as never)).toThrow(
        invalid("retry.secondaryHost"),
      );
    }
  });

  test("connect: a BigInt method, a symbol or multi-line userAgentPrefix", async () => {
    await expect(connect({ method: 10n } as never)).rejects.toEqual(invalid("method"));
    await expect(connect({ method: "emulator", retry: null } as never)).rejects.toEqual(
      invalid("retry"),
    );
    for (const userAgentPrefix of [Symbol("app"), 42, "app/1.0\r\nx-injected: 1"]) {
      await expect(connect({ method: "emulator", userAgentPrefix } as never)).rejects.toEqual(
        invalid("userAgentPrefix"),
      );
    }
  });
});

describe("connection strings reach the SDK as checked", () => {
  test("keys in any case, spaces, and no DefaultEndpointsProtocol work against Azurite", async ({
    azurite,
    container,
  }) => {
    const { accountName, accountKey, blobEndpoint } = azurite;
    for (const connectionString of [
      // Without DefaultEndpointsProtocol the SDK alone takes this for a SAS connection string.
      `AccountName=${accountName};AccountKey=${accountKey};BlobEndpoint=${blobEndpoint}`,
      `accountname=${accountName}; ACCOUNTKEY=${accountKey} ; blobEndpoint=${blobEndpoint};`,
    ]) {
      const service = await connect({ method: "connectionString", connectionString });
      expect(service.url).toBe(blobEndpoint);
      await service.getContainerClient(container.name).getProperties();
    }
  });

  test("Azure's defaults are spelled out for the SDK", async () => {
    const withKey = await connect({
      method: "connectionString",
      connectionString: `AccountName=myaccount;AccountKey=${AZURITE_ACCOUNT_KEY}`,
    });
    expect(withKey.url).toMatch(/^https:\/\/myaccount\.blob\.core\.windows\.net\/?$/);
    const withSas = await connect({
      method: "connectionString",
      connectionString:
        "AccountName=myaccount;SharedAccessSignature=sv=2024-05-04&se=2099-01-01T00%3A00%3A00Z&sp=r&sig=abc",
    });
    expect(withSas.url).toMatch(/^https:\/\/myaccount\.blob\.core\.windows\.net\/?\?sv=/);
  });

  test("a key given twice is refused: the SDK would use the first, the check saw the last", async () => {
    const error = await connect({
      method: "connectionString",
      connectionString: `AccountName=myaccount;AccountKey=${AZURITE_ACCOUNT_KEY};BlobEndpoint=http://storage.example.com/x;BlobEndpoint=https://myaccount.blob.core.windows.net`,
    }).catch((e: unknown) => e);
    expect(error).toEqual(invalid("connectionString"));
    expect((error as Error).message).toMatch(/'BlobEndpoint' more than once/);
  });

  test("UseDevelopmentStorage=true with other keys is refused, not half-ignored", async () => {
    const error = await connect({
      method: "connectionString",
      connectionString:
        "UseDevelopmentStorage=true;BlobEndpoint=http://127.0.0.1:10001/devstoreaccount1",
    }).catch((e: unknown) => e);
    expect(error).toEqual(invalid("connectionString"));
    expect((error as Error).message).toMatch(/with BlobEndpoint, which it ignores/);
    await expect(
      connect({
        method: "connectionString",
        connectionString:
          "UseDevelopmentStorage=true;DevelopmentStorageProxyUri=http://127.0.0.1:8888",
      }),
    ).resolves.toBeDefined();
  });

  test("a key pasted without 'AccountKey=' is not echoed in the error", async () => {
    const error = await connect({
      method: "connectionString",
      connectionString: `DefaultEndpointsProtocol=https;AccountName=myaccount;${AZURITE_ACCOUNT_KEY}`,
    }).catch((e: unknown) => e);
    expect(error).toEqual(invalid("connectionString"));
    expect((error as Error).message).toMatch(/unknown key \(not shown/);
    expect((error as Error).message).not.toContain(AZURITE_ACCOUNT_KEY.slice(0, 12));
  });
});

describe("pasted values: whitespace and quotes", () => {
  test("an account key with a trailing newline (or quoted) works; the connection string's key too", async ({
    azurite,
    container,
  }) => {
    for (const accountKey of [
      `${azurite.accountKey}\n`,
      `  ${azurite.accountKey}\r\n`,
      `"${azurite.accountKey}"`,
    ]) {
      const service = await connect({
        method: "accountKey",
        accountName: azurite.accountName,
        accountKey,
        accountUrl: azurite.blobEndpoint,
        verify: true,
      });
      await service.getContainerClient(container.name).getProperties();
    }
    // Inside the key, whitespace is still an error, and said so.
    await expect(
      connect({
        method: "accountKey",
        accountName: azurite.accountName,
        accountKey: `${azurite.accountKey.slice(0, 40)} ${azurite.accountKey.slice(40)}`,
      }),
    ).rejects.toMatchObject({
      field: "accountKey",
      message: expect.stringMatching(/with whitespace inside/),
    });
  });

  test("a quoted connection string (.env style, double or single quotes) works; a lone quote is named as such", async ({
    azurite,
    container,
  }) => {
    for (const connectionString of [
      `"${azurite.connectionString}"`,
      `'${azurite.connectionString}'\n`,
    ]) {
      const service = await connect({
        method: "connectionString",
        connectionString,
        verify: true,
      });
      await service.getContainerClient(container.name).getProperties();
    }
    const lone = await connect({
      method: "connectionString",
      connectionString: `"${azurite.connectionString}`,
    }).catch((e: unknown) => e);
    expect(lone).toEqual(invalid("connectionString"));
    expect((lone as Error).message).toMatch(/starts with a quote .*remove the quotes/);
    expect((lone as Error).message).not.toContain(azurite.accountKey);
  });
});
