// Contract tests for what Azurite does not implement or cannot show: directory SAS (`sr=d`, for
// accounts with a hierarchical namespace), the exact Get User Delegation Key request, and a
// refused key request. A loopback HTTPS stub records the SDK's requests and answers as the REST
// documentation says.
import { connect, isStorageError } from "@blobkit/auth";
import { AZURITE_ACCOUNT_KEY } from "@blobkit/testing";
import { expect, test } from "@blobkit/testing/vitest";
import { describe } from "vitest";
import {
  createServiceSas,
  createUserDelegationSas,
  createUserDelegationSigner,
  parseSas,
} from "../src/index.js";
import {
  type RecordedRequest,
  type StubResponse,
  startStub,
  userDelegationKeyXml,
} from "./helpers.js";

async function textOf(
  download: Promise<{ readableStreamBody?: NodeJS.ReadableStream }>,
): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of (await download).readableStreamBody ?? []) {
    chunks.push(Buffer.from(chunk as Buffer));
  }
  return Buffer.concat(chunks).toString("utf8");
}

function documentedAnswer(request: RecordedRequest): StubResponse {
  if (request.method === "POST" && request.url.includes("comp=userdelegationkey")) {
    const start = /<Start>([^<]+)<\/Start>/.exec(request.body)?.[1] ?? "";
    const expiry = /<Expiry>([^<]+)<\/Expiry>/.exec(request.body)?.[1] ?? "";
    return { status: 200, body: userDelegationKeyXml(start, expiry) };
  }
  if (request.method === "GET") {
    return {
      status: 200,
      headers: {
        "content-type": "text/plain",
        "content-length": "2",
        etag: '"0x8DC0000000000001"',
        "last-modified": "Wed, 01 May 2024 12:00:00 GMT",
        "x-ms-blob-type": "BlockBlob",
        "x-ms-server-encrypted": "true",
      },
      body: "hi",
    };
  }
  return { status: 400, headers: { "x-ms-error-code": "UnsupportedHttpVerb" } };
}

describe("user delegation keys and directory SAS, by contract", () => {
  test("Get User Delegation Key is a POST with KeyInfo: start 15 minutes back, expiry within 7 days", async ({
    azuriteHttps,
    tokenCredential,
  }) => {
    await using stub = await startStub(azuriteHttps, documentedAnswer);
    const service = await connect({
      method: "entra",
      accountUrl: stub.url,
      credential: tokenCredential,
      retry: { maxTries: 1 },
    });
    const now = new Date("2024-05-01T12:00:00.500Z");
    const signer = createUserDelegationSigner(service, { now: () => now });
    const sas = await createUserDelegationSas(
      signer,
      { container: "reports", blob: "q1.pdf" },
      { permissions: "r" },
    );
    expect(stub.requests).toHaveLength(1);
    const [request] = stub.requests as [RecordedRequest];
    const url = new URL(request.url, "https://stub");
    expect(request.method).toBe("POST");
    expect(url.pathname).toBe("/devstoreaccount1/");
    expect(url.searchParams.get("restype")).toBe("service");
    expect(url.searchParams.get("comp")).toBe("userdelegationkey");
    expect(request.headers.authorization).toMatch(/^Bearer /);
    expect(request.body).toContain("<Start>2024-05-01T11:45:00Z</Start>");
    // the SAS expires in an hour; the key covers it and lives 24 hours beyond
    expect(request.body).toContain("<Expiry>2024-05-02T13:00:00Z</Expiry>");
    expect(sas.startsOn?.toISOString()).toBe("2024-05-01T11:45:00.000Z");
    expect(sas.expiresOn?.toISOString()).toBe("2024-05-01T13:00:00.000Z");
    const description = parseSas(sas.url, { now: () => now });
    expect(description.signedIdentity).toMatchObject({
      objectId: "11111111-1111-1111-1111-111111111111",
      tenantId: "22222222-2222-2222-2222-222222222222",
      keyService: "b",
      keyVersion: "2026-10-06",
    });
    expect(description.signedIdentity?.keyExpiresOn?.toISOString()).toBe(
      "2024-05-02T13:00:00.000Z",
    );
  });

  test("a refused key request names the Storage Blob Delegator role and is not cached", async ({
    azuriteHttps,
    tokenCredential,
  }) => {
    let refuse = true;
    await using stub = await startStub(azuriteHttps, (request) => {
      if (refuse) {
        refuse = false;
        return {
          status: 403,
          headers: { "x-ms-error-code": "AuthorizationPermissionMismatch" },
          body: '<?xml version="1.0" encoding="utf-8"?><Error><Code>AuthorizationPermissionMismatch</Code><Message>This request is not authorized to perform this operation using this permission.</Message></Error>',
        };
      }
      return documentedAnswer(request);
    });
    const service = await connect({
      method: "entra",
      accountUrl: stub.url,
      credential: tokenCredential,
      retry: { maxTries: 1 },
    });
    const signer = createUserDelegationSigner(service);
    const target = { container: "reports", blob: "q1.pdf" };
    const error = await createUserDelegationSas(signer, target, { permissions: "r" }).catch(
      (e: unknown) => e,
    );
    expect(isStorageError(error, "PermissionDenied")).toBe(true);
    expect((error as Error).message).toMatch(/Get user delegation key.*Storage Blob Delegator/);
    const sas = await createUserDelegationSas(signer, target, { permissions: "r" });
    expect(sas.kind).toBe("user-delegation");
    expect(stub.requests.filter((r) => r.method === "POST")).toHaveLength(2);
  });

  test("a user delegation SAS for a directory carries sr=d and its depth, and reads a blob under it", async ({
    azuriteHttps,
    tokenCredential,
  }) => {
    await using stub = await startStub(azuriteHttps, documentedAnswer);
    const service = await connect({
      method: "entra",
      accountUrl: stub.url,
      credential: tokenCredential,
      retry: { maxTries: 1 },
    });
    const signer = createUserDelegationSigner(service);
    const sas = await createUserDelegationSas(
      signer,
      { container: "reports", directory: "/2024/q1/" },
      { permissions: ["read", "write"] },
    );
    const query = new URLSearchParams(sas.token);
    expect(query.get("sr")).toBe("d");
    expect(query.get("sdd")).toBe("2");
    expect(query.get("sp")).toBe("rw");
    expect(sas.url.startsWith(`${stub.url}/reports/2024/q1?`)).toBe(true);
    const description = parseSas(sas.url);
    expect(description).toMatchObject({
      kind: "user-delegation",
      resource: "directory",
      directoryDepth: 2,
    });
    expect(description.location).toMatchObject({ container: "reports", blob: "2024/q1" });

    const viaSas = await connect({
      method: "sas",
      accountUrl: stub.url,
      sasToken: sas.token,
      retry: { maxTries: 1 },
    });
    const blob = viaSas.getContainerClient("reports").getBlobClient("2024/q1/a.txt");
    expect(await textOf(blob.download())).toBe("hi");
    const read = stub.requests.find((r) => r.method === "GET");
    expect(read).toBeDefined();
    const readUrl = new URL(read?.url ?? "", "https://stub");
    expect(readUrl.pathname).toBe("/devstoreaccount1/reports/2024/q1/a.txt");
    for (const key of ["sv", "sr", "sdd", "sp", "se", "st", "spr", "skoid", "sktid", "sig"]) {
      expect(readUrl.searchParams.get(key), key).toBe(query.get(key));
    }
    expect(read?.headers.authorization).toBeUndefined();
  });

  test("a service SAS for a directory (account key) carries sr=d and its depth", async ({
    azuriteHttps,
  }) => {
    await using stub = await startStub(azuriteHttps, documentedAnswer);
    const service = await connect({
      method: "emulator",
      emulator: {
        blobEndpoint: stub.url,
        accountName: "devstoreaccount1",
        accountKey: AZURITE_ACCOUNT_KEY,
      },
      retry: { maxTries: 1 },
    });
    const sas = createServiceSas(
      service,
      { container: "reports", directory: "2024" },
      { permissions: "r" },
    );
    const query = new URLSearchParams(sas.token);
    expect(query.get("sr")).toBe("d");
    expect(query.get("sdd")).toBe("1");
    expect(query.get("spr")).toBe("https");
    const viaSas = await connect({
      method: "sas",
      accountUrl: stub.url,
      sasToken: sas.token,
      retry: { maxTries: 1 },
    });
    const blob = viaSas.getContainerClient("reports").getBlobClient("2024/a.txt");
    expect(await textOf(blob.download())).toBe("hi");
    expect(stub.requests.some((r) => r.url.includes("sr=d") && r.url.includes("sdd=1"))).toBe(true);
    expect(() =>
      createServiceSas(service, { container: "reports", directory: "2024" }, { permissions: "rl" }),
    ).toThrow(/'l' \(list\) is not valid for a directory SAS/);
  });
});
