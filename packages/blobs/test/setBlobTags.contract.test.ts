// Contract test of setBlobTags for an empty tag value, which Azure accepts and Azurite refuses:
// the exact body the SDK sends through BlobKit.
import { describe, expect, test } from "vitest";
import { setBlobTags } from "../src/index.js";
import { startContractServer } from "./contract-server.js";

describe("tiers and tags (contract)", () => {
  test("an empty tag value is sent as an empty <Value> (Azure accepts 0-256 characters)", async () => {
    await using server = await startContractServer(() => ({ status: 204 }));
    const blob = server.service.getContainerClient("c").getBlobClient("a");
    await setBlobTags(blob, { flag: "" });
    const [put] = server.requests;
    expect(put?.method).toBe("PUT");
    expect(put?.query.get("comp")).toBe("tags");
    expect(put?.body).toMatch(/<Tag><Key>flag<\/Key><Value\s*(\/>|><\/Value>)<\/Tag>/);
  });
});
