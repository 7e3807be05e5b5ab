import { startStubServer } from "@blobkit/testing";
import { injectAzurite, injectAzuriteHttps } from "@blobkit/testing/vitest";
import { describe, expect, test } from "vitest";
import { copyLarge, main } from "../samples/copy-blobs.ts";
import { createSampleEnvironment } from "../scripts/environment.ts";
import { stubService } from "./stub-service.ts";

test("the copy-blobs sample copies in every way the guide shows", async () => {
  await using env = await createSampleEnvironment(injectAzurite(), injectAzuriteHttps());
  const { results, archived } = await main(env);
  expect(results.backUp).toMatchObject({ mechanism: "sync", status: "success" });
  expect(results.archive).toMatchObject({ mechanism: "sync", status: "success" });
  expect(results.fromUrl).toMatchObject({ mechanism: "sync", bytesCopied: 9 });
  expect(results.large).toMatchObject({ mechanism: "async", status: "success" });
  expect(results.acrossAccounts).toMatchObject({ mechanism: "sync", status: "success" });
  expect(archived.accessTier).toBe("Cool");
  expect(archived.metadata).toEqual({ source: "reports/q1.pdf" });
  expect(archived.tagCount).toBe(2);
});

/** A server that answers like Azure for a copy that stays pending (Azurite finishes at once). */
async function pendingCopyServer(copyStatuses: string[]) {
  let polls = 0;
  const stub = await startStubServer((req, res) => {
    const base = { "x-ms-request-id": "r", "x-ms-version": "2025-11-05" };
    if (req.method === "HEAD" && req.path.endsWith("/source.vhd")) {
      res.writeHead(200, { ...base, "content-length": "1000", "x-ms-blob-type": "PageBlob" }).end();
    } else if (req.method === "PUT" && req.query.get("comp") === "copy") {
      res.writeHead(204, base).end();
    } else if (req.method === "PUT") {
      res.writeHead(202, { ...base, "x-ms-copy-id": "id-1", "x-ms-copy-status": "pending" }).end();
    } else {
      const status = copyStatuses[Math.min(polls, copyStatuses.length - 1)] ?? "pending";
      polls++;
      res
        .writeHead(200, {
          ...base,
          "content-length": "1000",
          "x-ms-copy-id": "id-1",
          "x-ms-copy-status": status,
          "x-ms-copy-progress": status === "success" ? "1000/1000" : `${polls * 250}/1000`,
        })
        .end();
    }
  });
  return stubService(stub);
}

describe("the guide's long copy, against Azure's documented responses", () => {
  test("follows a pending copy to success", async () => {
    await using azure = await pendingCopyServer(["pending", "pending", "success"]);
    const container = azure.service.getContainerClient("disks");
    const result = await copyLarge(
      container.getBlobClient("source.vhd"),
      container.getBlobClient("copy.vhd"),
      1,
    );
    expect(result).toMatchObject({ mechanism: "async", status: "success", copyId: "id-1" });
    expect(
      azure.requests.filter((r) => r.startsWith("HEAD /devstoreaccount1/disks/copy.vhd")),
    ).toHaveLength(3);
  });

  test("a copy that fails on the service side is reported, with its reason", async () => {
    await using azure = await pendingCopyServer(["pending", "failed"]);
    const container = azure.service.getContainerClient("disks");
    await expect(
      copyLarge(container.getBlobClient("source.vhd"), container.getBlobClient("copy.vhd"), 1),
    ).rejects.toThrow(/Copy blob .* failed/);
  });
});
