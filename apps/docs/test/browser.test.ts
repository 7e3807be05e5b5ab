import { injectAzurite } from "@blobkit/testing/vitest";
import { expect, test } from "vitest";
import { main } from "../samples/browser.ts";

test("the browser sample allows the page's origin, grants a container SAS, and the page's functions upload and read back", async () => {
  const results = await main({ azurite: injectAzurite() });
  expect(results.corsOrigins).toContain("http://localhost:5173");
  expect(results.grant.permissions).toBe("rcw");
  // 6 MiB in 4 MiB blocks: two blocks, and the whole-blob MD5 computed on the way.
  expect(results.uploaded).toMatchObject({ contentLength: 6 * 1024 * 1024, blockCount: 2 });
  expect(results.uploaded.contentMD5).toBeInstanceOf(Uint8Array);
  // Cancelled once half-way: the blocks sent before the cancel were not sent again.
  expect(results.cancelled).toBe("Aborted");
  expect(results.uploaded.resumedBlocks).toBeGreaterThanOrEqual(1);
  expect(results.lastPercent).toBe(100);
  expect(results.back).toEqual({ same: true, contentType: "image/jpeg", verification: "verified" });
  expect(results.saved).toEqual({
    same: true,
    contentLength: 6 * 1024 * 1024,
    verification: "verified",
  });
});
