// Property-based test of the tag validator: whatever validateTags accepts, Azurite stores and
// finds as given (about 120 emulator round trips), and what it rejects gets a clear
// InvalidArgument error before any request.

import { describe, expect, test } from "@blobkit/testing/vitest";
import fc from "fast-check";
import { findBlobsByTags, getBlobTags, setBlobTags, tagQuery, validateTags } from "../src/index.js";
import { collect, service } from "./helpers-manage.js";
import { hostile, PROTOTYPE_NAMES, tagChar, tagKey, tagValue } from "./tag-arbitraries.js";

describe("validators against Azurite (property-based)", () => {
  test("tags we accept, Azurite stores and finds as given; others are refused first", async ({
    azurite,
    container,
  }) => {
    const client = (await service(azurite)).getContainerClient(container.name);
    const blob = client.getBlobClient("tagged");
    await container.client.uploadBlockBlob("tagged", "x", 1);
    const anyChar = fc.oneof(tagChar, tagChar, hostile);
    const tags = fc.oneof(
      // mostly valid tag sets, at every size and length limit...
      {
        weight: 3,
        arbitrary: fc.dictionary(
          fc.oneof(tagKey, fc.constantFrom("__proto__", "constructor", " ", "a b")),
          fc.oneof(
            tagValue.filter((v) => v.trim() !== ""),
            fc.constantFrom("x", " x "),
          ),
          { maxKeys: 10 },
        ),
      },
      // ...and some with hostile characters, too many tags, or lengths past the limits.
      {
        weight: 1,
        arbitrary: fc.dictionary(
          fc.string({ unit: anyChar, minLength: 0, maxLength: 130 }),
          fc.string({ unit: anyChar, maxLength: 260 }),
          { maxKeys: 12 },
        ),
      },
    );
    let accepted = 0;
    await fc.assert(
      fc.asyncProperty(tags, async (candidate) => {
        let checked: Record<string, string>;
        try {
          checked = validateTags(candidate);
        } catch (error) {
          expect(error).toMatchObject({ code: "InvalidArgument" });
          expect((error as Error).message).toMatch(/^Invalid tags/);
          await expect(setBlobTags(blob, candidate)).rejects.toMatchObject({
            code: "InvalidArgument",
          });
          return;
        }
        // Azure accepts empty tag values (0-256 characters); Azurite 3.37 answers 400 to empty and
        // all-space values (its XML parser drops them), so those are checked against the
        // documented REST exchange in the contract tests instead.
        if (Object.values(checked).some((value) => value.trim() === "")) return;
        accepted++;
        await setBlobTags(blob, checked);
        expect(await getBlobTags(blob)).toEqual(checked);
        const [first] = Object.entries(checked);
        if (first && !PROTOTYPE_NAMES.has(first[0])) {
          const found = await collect(
            findBlobsByTags(client, tagQuery().where(first[0], "=", first[1])),
          );
          expect(found.map((b) => b.name)).toEqual(["tagged"]);
        }
      }),
      // 120 runs: at 60, about 19 candidates were accepted (11 in the worst of 300 samples of
      // the generator) and a CI run once drew only 10, failing the check below by chance.
      { numRuns: 120 },
    );
    // The generator must not degenerate into rejections only.
    expect(accepted).toBeGreaterThan(10);
  });
});
