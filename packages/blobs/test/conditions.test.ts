// Conditions (ifMatch, ifNoneMatch, leaseId, whereTags) as every blob operation sends them:
// checked as HTTP header values before any request, and a failed whereTags explained as such.
import type { BlobClient, ContainerClient } from "@azure/storage-blob";
import { describe, expect, test } from "@blobkit/testing/vitest";
import {
  deleteBlob,
  downloadBlob,
  getBlobProperties,
  getBlobTags,
  setBlobHttpHeaders,
  setBlobMetadata,
  setBlobTags,
  tagQuery,
  updateBlobMetadata,
  uploadBlob,
} from "../src/index.js";
import { startContractServer } from "./contract-server.js";
import { service } from "./helpers-manage.js";

const INJECTED = "\r\nx-injected: 1";

type Run = (container: ContainerClient, blob: BlobClient) => Promise<unknown>;
const cases: Array<[string, string, Run]> = [
  ["getBlobProperties", "ifMatch", (_, b) => getBlobProperties(b, { ifMatch: `"0x1"${INJECTED}` })],
  ["getBlobProperties", "leaseId", (_, b) => getBlobProperties(b, { leaseId: `id${INJECTED}` })],
  [
    "getBlobProperties",
    "whereTags",
    (_, b) => getBlobProperties(b, { whereTags: `"a" = 'b'${INJECTED}` }),
  ],
  [
    "getBlobProperties (non-ASCII)",
    "ifMatch",
    (_, b) => getBlobProperties(b, { ifMatch: '"0x1é"' }),
  ],
  [
    "setBlobMetadata",
    "ifMatch",
    (_, b) => setBlobMetadata(b, { a: "1" }, { ifMatch: `*${INJECTED}` }),
  ],
  [
    "setBlobMetadata",
    "whereTags",
    (_, b) => setBlobMetadata(b, { a: "1" }, { whereTags: `"a"='b'\n` }),
  ],
  [
    "updateBlobMetadata",
    "leaseId",
    (_, b) => updateBlobMetadata(b, (m) => m, { leaseId: `id${INJECTED}` }),
  ],
  [
    "updateBlobMetadata",
    "whereTags",
    (_, b) => updateBlobMetadata(b, (m) => m, { whereTags: `"a"='b'\r` }),
  ],
  [
    "setBlobHttpHeaders",
    "ifMatch",
    (_, b) => setBlobHttpHeaders(b, { contentType: "a/b" }, { ifMatch: `x${INJECTED}` }),
  ],
  ["setBlobTags", "leaseId", (_, b) => setBlobTags(b, { a: "b" }, { leaseId: `id${INJECTED}` })],
  ["getBlobTags", "whereTags", (_, b) => getBlobTags(b, { whereTags: `"a" = 'b'${INJECTED}` })],
  ["deleteBlob", "ifMatch", (_, b) => deleteBlob(b, { ifMatch: `"0x1"${INJECTED}` })],
  [
    "downloadBlob",
    "ifNoneMatch",
    (_, b) => downloadBlob(b, { to: "string" }, { ifNoneMatch: `*${INJECTED}` }),
  ],
  [
    "downloadBlob",
    "leaseId",
    (_, b) => downloadBlob(b, { to: "bytes" }, { leaseId: `id${INJECTED}` }),
  ],
  ["uploadBlob", "leaseId", (c) => uploadBlob(c, "b.txt", "x", { leaseId: `id${INJECTED}` })],
];

describe("condition values are checked as HTTP headers before any request", () => {
  test.each(cases)(
    "%s: CR/LF or non-ASCII in %s is InvalidArgument naming it",
    async (_, field, run) => {
      await using server = await startContractServer(() => ({ status: 500 }));
      const container = server.service.getContainerClient("conditions");
      const error = await run(container, container.getBlobClient("b.txt")).catch((e: unknown) => e);
      expect(error, String(error)).toMatchObject({ code: "InvalidArgument", field });
      expect((error as Error).message).toMatch(/not a valid HTTP header value/);
      expect(server.requests).toHaveLength(0);
    },
  );

  test("a download with ifNoneMatch '*' plus injected text no longer succeeds", async ({
    azurite,
    container,
  }) => {
    await container.client.uploadBlockBlob("exists.txt", "data", 4);
    const blob = (await service(azurite))
      .getContainerClient(container.name)
      .getBlobClient("exists.txt");
    await expect(
      downloadBlob(blob, { to: "string" }, { ifNoneMatch: `*${INJECTED}` }),
    ).rejects.toMatchObject({ code: "InvalidArgument", field: "ifNoneMatch" });
  });
});

describe("a whereTags condition that does not hold", () => {
  test("says the blob's tags did not match, not that it changed", async ({
    azurite,
    container,
  }) => {
    await container.client.uploadBlockBlob("t.txt", "1", 1);
    const blob = (await service(azurite)).getContainerClient(container.name).getBlobClient("t.txt");
    await setBlobTags(blob, { status: "final" });
    const whereTags = tagQuery().where("status", "=", "draft");
    const failures = [
      await getBlobProperties(blob, { whereTags }).catch((e: unknown) => e), // HEAD: no error body
      await setBlobMetadata(blob, { a: "1" }, { whereTags }).catch((e: unknown) => e),
      await getBlobTags(blob, { whereTags }).catch((e: unknown) => e),
    ];
    for (const error of failures) {
      expect(error).toMatchObject({ code: "PreconditionFailed", statusCode: 412 });
      expect((error as Error).message).toMatch(
        /the blob's index tags did not match the whereTags condition \("status" = 'draft'\)/,
      );
      expect((error as Error).message).not.toMatch(/changed since it was read/);
    }
    // The tags that match still work.
    await setBlobMetadata(
      blob,
      { a: "1" },
      { whereTags: tagQuery().where("status", "=", "final") },
    );
  });

  test("with ifMatch too, the message names both conditions", async ({ azurite, container }) => {
    await container.client.uploadBlockBlob("both.txt", "1", 1);
    const blob = (await service(azurite))
      .getContainerClient(container.name)
      .getBlobClient("both.txt");
    await setBlobTags(blob, { status: "final" });
    const error = await setBlobMetadata(
      blob,
      { a: "1" },
      { ifMatch: '"0x1"', whereTags: `"status" = 'draft'` },
    ).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "PreconditionFailed" });
    expect((error as Error).message).toMatch(/ifMatch/);
    expect((error as Error).message).toMatch(/whereTags/);
  });
});
