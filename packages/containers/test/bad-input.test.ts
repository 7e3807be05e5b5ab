// Odd values (BigInt, symbols, null-prototype objects) in options get an InvalidArgument naming
// the field, never a TypeError from building the message (found by the reliability suite).
import { connect } from "@blobkit/auth";
import { describe, expect, test } from "@blobkit/testing/vitest";
import {
  createContainer,
  setContainerAccessPolicy,
  updateContainerMetadata,
} from "../src/index.js";

const invalid = (field: string) => expect.objectContaining({ code: "InvalidArgument", field });

describe("odd option values", () => {
  test("are rejected with InvalidArgument before any request", async () => {
    const service = await connect({
      method: "emulator",
      emulator: {
        blobEndpoint: "http://127.0.0.1:9/devstoreaccount1",
        accountName: "devstoreaccount1",
        accountKey: Buffer.alloc(64).toString("base64"),
      },
      retry: { maxTries: 1 },
    });
    const container = service.getContainerClient("odd");
    for (const value of [10n, Symbol("odd"), Object.create(null)]) {
      await expect(
        updateContainerMetadata(container, (m) => m, { maxTries: value } as never),
      ).rejects.toEqual(invalid("maxTries"));
      await expect(
        createContainer(service, "odd", { publicAccess: value } as never),
      ).rejects.toEqual(invalid("publicAccess"));
      await expect(
        setContainerAccessPolicy(container, { publicAccess: value, policies: [] } as never),
      ).rejects.toEqual(invalid("publicAccess"));
    }
  });
});
