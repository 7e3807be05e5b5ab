// Contract tests of createUserDelegationSigner for what Azurite does not show: the exact Get User
// Delegation Key request, and a refused one. A loopback HTTPS stub records the SDK's requests and
// answers as the REST documentation says.
import { isStorageError } from "@blobkit/auth";
import type { StubRequest } from "@blobkit/testing";
import { describe, expect, test } from "@blobkit/testing/vitest";
import { createUserDelegationSas, createUserDelegationSigner, parseSas } from "../src/index.js";
import { connectEntra, documentedAnswer, startStub } from "./helpers.js";

describe("user delegation keys, by contract", () => {
  test("Get User Delegation Key is a POST with KeyInfo: start 15 minutes back, expiry within 7 days", async ({
    azuriteHttps,
    tokenCredential,
  }) => {
    await using stub = await startStub(azuriteHttps, documentedAnswer);
    const service = await connectEntra(stub, tokenCredential, { maxTries: 1 });
    const now = new Date("2024-05-01T12:00:00.500Z");
    const signer = createUserDelegationSigner(service, { now: () => now });
    const sas = await createUserDelegationSas(
      signer,
      { container: "reports", blob: "q1.pdf" },
      { permissions: "r" },
    );
    expect(stub.requests).toHaveLength(1);
    const [request] = stub.requests as [StubRequest];
    const url = new URL(request.url, "https://stub");
    expect(request.method).toBe("POST");
    expect(url.pathname).toBe("/devstoreaccount1/");
    expect(url.searchParams.get("restype")).toBe("service");
    expect(url.searchParams.get("comp")).toBe("userdelegationkey");
    expect(request.headers.authorization).toMatch(/^Bearer /);
    expect(request.body.toString("utf8")).toContain("<Start>2024-05-01T11:45:00Z</Start>");
    // the SAS expires in an hour; the key covers it and lives 24 hours beyond
    expect(request.body.toString("utf8")).toContain("<Expiry>2024-05-02T13:00:00Z</Expiry>");
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
    const service = await connectEntra(stub, tokenCredential, { maxTries: 1 });
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
});
