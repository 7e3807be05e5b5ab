// A `wait` option that is not an object gets an InvalidArgument, not a TypeError, before any
// request (found by the reliability suite's property tests).
import { describe, expect, test } from "@blobkit/testing/vitest";
import { acquireLease, withLease } from "../src/index.js";
import { startCountingServer } from "./helpers.js";

describe("wait options", () => {
  test("null or a number is rejected before any request", async () => {
    const server = await startCountingServer();
    try {
      const blob = server.container.getBlobClient("b");
      for (const wait of [null, 5, "10s"]) {
        await expect(acquireLease(blob, 15, { wait } as never)).rejects.toMatchObject({
          code: "InvalidArgument",
          field: "wait",
        });
        await expect(withLease(blob, () => 1, { wait } as never)).rejects.toMatchObject({
          code: "InvalidArgument",
          field: "wait",
        });
      }
      expect(server.requests).toBe(0);
    } finally {
      await server.close();
    }
  });
});
