// Contract test of createUserDelegationSas for what Azurite does not implement: a directory SAS
// (`sr=d`, for accounts with a hierarchical namespace). A loopback HTTPS stub records the SDK's
// requests and answers as the REST documentation says.
import { describe, expect, test } from "@blobkit/testing/vitest";
import { createUserDelegationSas, createUserDelegationSigner, parseSas } from "../src/index.js";
import { connectEntra, connectWithSas, documentedAnswer, startStub, textOf } from "./helpers.js";

describe("directory SAS with a user delegation key, by contract", () => {
  test("a user delegation SAS for a directory carries sr=d and its depth, and reads a blob under it", async ({
    azuriteHttps,
    tokenCredential,
  }) => {
    await using stub = await startStub(azuriteHttps, documentedAnswer);
    const service = await connectEntra(stub, tokenCredential, { maxTries: 1 });
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
    expect(sas.url.startsWith(`${stub.blobEndpoint}/reports/2024/q1?`)).toBe(true);
    const description = parseSas(sas.url);
    expect(description).toMatchObject({
      kind: "user-delegation",
      resource: "directory",
      directoryDepth: 2,
    });
    expect(description.location).toMatchObject({ container: "reports", blob: "2024/q1" });

    const viaSas = await connectWithSas(stub.blobEndpoint, sas.token);
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
});
