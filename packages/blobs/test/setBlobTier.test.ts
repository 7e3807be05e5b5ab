import { describe, expect, test } from "@blobkit/testing/vitest";
import { getBlobTier, setBlobTier } from "../src/index.js";
import { putBlobs, service } from "./helpers-manage.js";

describe("setBlobTier", () => {
  test("setBlobTier moves a blob between tiers; getBlobTier reads it", async ({
    azurite,
    container,
  }) => {
    await putBlobs(container.client, ["t.txt"]);
    const blob = (await service(azurite)).getContainerClient(container.name).getBlobClient("t.txt");
    for (const tier of ["Cool", "Cold", "Hot"] as const) {
      expect(await setBlobTier(blob, tier)).toEqual({ pending: false });
      expect(await getBlobTier(blob)).toMatchObject({ tier, archived: false, rehydrating: false });
    }
    await expect(setBlobTier(blob, "hot" as "Hot")).rejects.toThrow(/case-sensitive/);
    await expect(setBlobTier(blob, "Lukewarm" as "Hot")).rejects.toMatchObject({
      code: "InvalidArgument",
      field: "tier",
    });
  });
});
