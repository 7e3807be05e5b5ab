// Contract tests of setBlobTier and getBlobTier for rehydration from Archive, which takes hours on
// Azure and which Azurite does not model: the documented answers and BlobKit's handling of them.
import { describe, expect, test } from "vitest";
import { getBlobTier, setBlobTier } from "../src/index.js";
import { type Answer, blobHeaders, errorAnswer, startContractServer } from "./contract-server.js";

describe("tiers and tags (contract)", () => {
  test("leaving Archive answers 202: pending, then getBlobTier reads the rehydration", async () => {
    await using server = await startContractServer((r): Answer => {
      if (r.method === "PUT") return { status: 202 };
      return {
        status: 200,
        headers: blobHeaders({
          "x-ms-access-tier": "Archive",
          "x-ms-archive-status": "rehydrate-pending-to-hot",
          "x-ms-rehydrate-priority": "High",
        }),
      };
    });
    const blob = server.service.getContainerClient("c").getBlobClient("a");
    expect(await setBlobTier(blob, "Hot", { rehydratePriority: "High" })).toEqual({
      pending: true,
    });
    const [put] = server.requests;
    expect(put?.query.get("comp")).toBe("tier");
    expect(put?.headers["x-ms-access-tier"]).toBe("Hot");
    expect(put?.headers["x-ms-rehydrate-priority"]).toBe("High");
    expect(await getBlobTier(blob)).toMatchObject({
      tier: "Archive",
      archived: true,
      rehydrating: true,
      rehydratingTo: "Hot",
      rehydratePriority: "High",
    });
  });

  test("changing the tier while rehydrating: BlobBeingRehydrated is explained", async () => {
    await using server = await startContractServer(() => errorAnswer(409, "BlobBeingRehydrated"));
    const blob = server.service.getContainerClient("c").getBlobClient("a");
    await expect(setBlobTier(blob, "Cool")).rejects.toThrow(/being rehydrated.*getBlobTier/);
  });
});
