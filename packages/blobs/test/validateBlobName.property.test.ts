// Property-based test of the blob name validator: whatever validateBlobName accepts, Azurite stores
// and lists under the same name (about 50 emulator round trips), and what it rejects gets a clear
// InvalidArgument error first.

import { describe, expect, test } from "@blobkit/testing/vitest";
import fc from "fast-check";
import { listBlobs, validateBlobName } from "../src/index.js";
import { collect, service } from "./helpers-manage.js";

describe("validators against Azurite (property-based)", () => {
  test("blob names we accept, Azurite stores and lists under the same name", async ({
    azurite,
    container,
  }) => {
    const client = (await service(azurite)).getContainerClient(container.name);
    const nameChar = fc.oneof(
      fc.constantFrom(..."/.-_ %+?#&=\\'\"~!*()[]{}@:;,"),
      fc.string({ unit: "grapheme", minLength: 1, maxLength: 1 }),
      fc.string({ unit: "binary", minLength: 1, maxLength: 1 }),
    );
    const name = fc.oneof(
      fc.string({ unit: nameChar, minLength: 0, maxLength: 40 }),
      fc.string({ unit: fc.constantFrom("a", "/", "."), minLength: 0, maxLength: 20 }),
    );
    let accepted = 0;
    await fc.assert(
      fc.asyncProperty(name, async (candidate) => {
        try {
          validateBlobName(candidate);
        } catch (error) {
          expect(error).toMatchObject({ code: "InvalidArgument", field: "blob name" });
          return;
        }
        accepted++;
        const blob = client.getBlockBlobClient(candidate);
        await blob.upload("x", 1);
        const listed = await collect(listBlobs(client, { prefix: candidate }));
        expect(listed.map((b) => b.name)).toContain(candidate);
        await blob.delete();
      }),
      { numRuns: 50 },
    );
    expect(accepted).toBeGreaterThan(10);
  });
});
