// Odd values (BigInt, symbols, null-prototype objects) in arguments and options get an
// InvalidArgument naming the field, never a TypeError from building the message (found by the
// reliability suite's property tests). The client points at a port nothing listens on, so a
// check that let a value through would fail with a NetworkError instead.
import { connect } from "@blobkit/auth";
import { describe, expect, test } from "@blobkit/testing/vitest";
import {
  chooseBlockSize,
  copyBlob,
  deleteBlob,
  downloadBlob,
  listBlobs,
  TagQuery,
  tagQuery,
  updateBlobMetadata,
  uploadBlob,
} from "../src/index.js";

const invalid = (field: string) => expect.objectContaining({ code: "InvalidArgument", field });
const ODD: unknown[] = [10n, Symbol("odd"), Object.create(null)];

async function deadEnd() {
  const service = await connect({
    method: "emulator",
    emulator: {
      blobEndpoint: "http://127.0.0.1:9/devstoreaccount1",
      accountName: "devstoreaccount1",
      accountKey: Buffer.alloc(64).toString("base64"),
    },
    retry: { maxTries: 1 },
  });
  return service.getContainerClient("odd");
}

describe("odd values are rejected with InvalidArgument", () => {
  test("tagQuery operators and TagQuery conditions", () => {
    for (const operator of ODD) {
      expect(() => tagQuery().where("k", operator as "=", "v")).toThrow(invalid("tagQuery.where"));
    }
    for (const conditions of [5, null, "k=v", { key: "k" }]) {
      expect(() => new TagQuery(conditions as never)).toThrow(invalid("tagQuery"));
    }
  });

  test("transfer, copy, delete, list and update options", async () => {
    const container = await deadEnd();
    const blob = container.getBlobClient("b");
    for (const value of ODD) {
      await expect(uploadBlob(container, "b", "x", { tier: value } as never)).rejects.toEqual(
        invalid("tier"),
      );
      await expect(uploadBlob(container, "b", "x", { blockSize: value } as never)).rejects.toEqual(
        invalid("blockSize"),
      );
      await expect(
        uploadBlob(container, "b", "x", { concurrency: value } as never),
      ).rejects.toEqual(invalid("concurrency"));
      await expect(uploadBlob(container, "b", "x", { checksum: value } as never)).rejects.toEqual(
        invalid("checksum"),
      );
      await expect(
        copyBlob(blob, container.getBlobClient("c"), { mode: value } as never),
      ).rejects.toEqual(invalid("mode"));
      await expect(deleteBlob(blob, { deleteSnapshots: value } as never)).rejects.toEqual(
        invalid("deleteSnapshots"),
      );
      await expect(downloadBlob(blob, { to: "string", encoding: value } as never)).rejects.toEqual(
        invalid("destination.encoding"),
      );
      await expect(
        updateBlobMetadata(blob, (m) => m, { maxAttempts: value } as never),
      ).rejects.toEqual(invalid("maxAttempts"));
      // listBlobs checks its options when called, before the first page is asked for.
      expect(() => listBlobs(container, { include: [value] } as never)).toThrow(invalid("include"));
      expect(() => listBlobs(container).byPage({ maxPageSize: value } as never)).toThrow(
        invalid("maxPageSize"),
      );
      expect(() => chooseBlockSize(value as never)).toThrow(invalid("size"));
    }
  });
});
