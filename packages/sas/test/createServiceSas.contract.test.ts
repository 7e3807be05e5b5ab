// Contract test of createServiceSas for what Azurite does not implement: a directory SAS
// (`sr=d`, for accounts with a hierarchical namespace). A loopback HTTPS stub records the SDK's
// requests and answers as the REST documentation says.
import { connect } from "@blobkit/auth";
import { describe, expect, test } from "@blobkit/testing/vitest";
import { createServiceSas } from "../src/index.js";
import { connectWithSas, documentedAnswer, startStub, textOf } from "./helpers.js";

describe("directory SAS with the account key, by contract", () => {
  test("a service SAS for a directory (account key) carries sr=d and its depth", async ({
    azuriteHttps,
  }) => {
    await using stub = await startStub(azuriteHttps, documentedAnswer);
    const service = await connect({ method: "emulator", emulator: stub, retry: { maxTries: 1 } });
    const sas = createServiceSas(
      service,
      { container: "reports", directory: "2024" },
      { permissions: "r" },
    );
    const query = new URLSearchParams(sas.token);
    expect(query.get("sr")).toBe("d");
    expect(query.get("sdd")).toBe("1");
    expect(query.get("spr")).toBe("https");
    const viaSas = await connectWithSas(stub.blobEndpoint, sas.token);
    const blob = viaSas.getContainerClient("reports").getBlobClient("2024/a.txt");
    expect(await textOf(blob.download())).toBe("hi");
    expect(stub.requests.some((r) => r.url.includes("sr=d") && r.url.includes("sdd=1"))).toBe(true);
    expect(() =>
      createServiceSas(service, { container: "reports", directory: "2024" }, { permissions: "rl" }),
    ).toThrow(/'l' \(list\) is not valid for a directory SAS/);
  });
});
