// parseSas refuses what is not a SAS with InvalidArgument, and never quotes the input, which may
// hold a signature.
import { isStorageError } from "@blobkit/auth";
import { describe, expect, test } from "vitest";
import { parseSas } from "../src/index.js";
import { ACCOUNT } from "./fixedKeys.js";

describe("parseSas on input that is not a SAS", () => {
  test("input that is not a SAS is refused without quoting it", () => {
    const secret = "c2VjcmV0LXNpZ25hdHVyZS12YWx1ZS10aGF0LW11c3Qtbm90LWxlYWs=";
    for (const [input, message] of [
      [`https://${ACCOUNT}.blob.core.windows.net/c/b?sv=2024-01-01&sp=r`, /lacks 'sig'/],
      [`sp=r&sig=${encodeURIComponent(secret)}`, /lacks 'sv'/],
      [`sv=2024-01-01&sp=r&sig=${encodeURIComponent(secret)}`, /neither 'sr'/],
      [`sv=2024-01-01&sr=q&sig=${encodeURIComponent(secret)}`, /unknown signed resource/],
      [`sv=2024-01-01&sr=b&se=tomorrow&sig=${encodeURIComponent(secret)}`, /unreadable 'se'/],
      ["", /is required/],
    ] as const) {
      let error: unknown;
      try {
        parseSas(input);
      } catch (e) {
        error = e;
      }
      expect(isStorageError(error, "InvalidArgument")).toBe(true);
      expect((error as Error).message).toMatch(message);
      expect((error as Error).message).not.toContain(secret);
      expect((error as Error).message).not.toContain(encodeURIComponent(secret));
    }
  });
});
