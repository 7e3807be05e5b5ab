// Contract tests of copyBlob for what Azurite does not implement (pending asynchronous copies,
// sources it cannot read, sources in another account, a slow Abort Copy Blob): the exact REST
// requests the SDK sends through BlobKit, and BlobKit's handling of the documented responses.
import { describe, expect, test } from "vitest";
import { copyBlob } from "../src/index.js";
import { type Answer, blobHeaders, errorAnswer, startContractServer } from "./contract-server.js";

describe("copyBlob (contract: pending asynchronous copies)", () => {
  const big = String(300 * 1024 * 1024);

  test("a source over 256 MiB is copied asynchronously, followed with progress", async () => {
    let polls = 0;
    await using server = await startContractServer((r): Answer => {
      if (r.method === "HEAD" && r.path === "/src/big.bin") {
        return { status: 200, headers: blobHeaders({ "content-length": big }) };
      }
      if (r.method === "PUT") {
        return { status: 202, headers: { "x-ms-copy-id": "c-1", "x-ms-copy-status": "pending" } };
      }
      polls++;
      const done = polls >= 3;
      return {
        status: 200,
        headers: blobHeaders({
          "x-ms-copy-id": "c-1",
          "x-ms-copy-status": done ? "success" : "pending",
          "x-ms-copy-progress": `${done ? big : String(polls * 100)}/${big}`,
        }),
      };
    });
    const source = server.service.getContainerClient("src").getBlobClient("big.bin");
    const destination = server.service.getContainerClient("dst").getBlobClient("big.bin");
    const progress: number[] = [];
    const result = await copyBlob(source, destination, {
      pollIntervalMs: 1,
      onProgress: (p) => progress.push(p.loaded),
    });
    expect(result).toMatchObject({ mechanism: "async", status: "success", copyId: "c-1" });
    expect(progress).toEqual([100, 200, 300 * 1024 * 1024]);
    const put = server.requests.find((r) => r.method === "PUT");
    expect(put?.path).toBe("/dst/big.bin");
    expect(put?.headers["x-ms-requires-sync"]).toBeUndefined();
    // Same account, asynchronous: the destination request authorizes the source; no SAS needed.
    expect(put?.headers["x-ms-copy-source"]).toBe(`${server.blobEndpoint}/src/big.bin`);
  });

  test("waitForCompletion: false returns the pending copy at once", async () => {
    await using server = await startContractServer(
      (r): Answer =>
        r.method === "HEAD"
          ? { status: 200, headers: blobHeaders({ "content-length": big }) }
          : { status: 202, headers: { "x-ms-copy-id": "c-2", "x-ms-copy-status": "pending" } },
    );
    const container = server.service.getContainerClient("c");
    const result = await copyBlob(container.getBlobClient("a"), container.getBlobClient("b"), {
      waitForCompletion: false,
    });
    expect(result).toMatchObject({ mechanism: "async", status: "pending", copyId: "c-2" });
    expect(server.requests).toHaveLength(2);
  });

  test("when the signal fires, the pending copy is aborted with abortCopyFromURL", async () => {
    const controller = new AbortController();
    await using server = await startContractServer((r): Answer => {
      if (r.method === "HEAD" && r.path === "/c/a") {
        return { status: 200, headers: blobHeaders({ "content-length": big }) };
      }
      if (r.method === "PUT" && r.query.get("comp") === "copy") return { status: 204 };
      if (r.method === "PUT") {
        return { status: 202, headers: { "x-ms-copy-id": "c-3", "x-ms-copy-status": "pending" } };
      }
      controller.abort();
      return {
        status: 200,
        headers: blobHeaders({
          "x-ms-copy-id": "c-3",
          "x-ms-copy-status": "pending",
          "x-ms-copy-progress": `1/${big}`,
        }),
      };
    });
    const container = server.service.getContainerClient("c");
    const error = await copyBlob(container.getBlobClient("a"), container.getBlobClient("b"), {
      pollIntervalMs: 1,
      signal: controller.signal,
    }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "Aborted" });
    expect(String(error)).toMatch(/pending copy was aborted \(abortCopyFromURL\)/);
    const abort = server.requests.at(-1);
    expect(abort).toMatchObject({ method: "PUT", path: "/c/b" });
    expect(abort?.query.get("comp")).toBe("copy");
    expect(abort?.query.get("copyid")).toBe("c-3");
    expect(abort?.headers["x-ms-copy-action"]).toBe("abort");
  });

  test("a copy the service cannot read: CannotVerifyCopySource gets a clear message", async () => {
    await using server = await startContractServer(
      (r): Answer =>
        r.method === "HEAD"
          ? { status: 200, headers: blobHeaders() }
          : errorAnswer(
              403,
              "CannotVerifyCopySource",
              "This request is not authorized to perform this operation.",
            ),
    );
    const other = server.service.getContainerClient("c");
    const error = await copyBlob(other.getBlobClient("a"), other.getBlobClient("b"), {
      mode: "sync",
    }).catch((e: unknown) => e);
    expect(error).toMatchObject({ statusCode: 403, serviceCode: "CannotVerifyCopySource" });
    expect(String(error)).toMatch(/could not read the source.*pass sourceAuthorization/);
    expect(String(error)).not.toMatch(/sig=/);
  });

  test("a source in another account gets a read SAS even for an asynchronous copy", async () => {
    await using server = await startContractServer(
      (r): Answer =>
        r.method === "HEAD"
          ? { status: 200, headers: blobHeaders({ "content-length": big }) }
          : { status: 202, headers: { "x-ms-copy-id": "c-4", "x-ms-copy-status": "success" } },
    );
    const { BlobClient, StorageSharedKeyCredential } = await import("@azure/storage-blob");
    const source = new BlobClient(
      `${server.blobEndpoint.replace("devstoreaccount1", "otheraccount")}/c/a`,
      new StorageSharedKeyCredential("otheraccount", "a2V5"),
    );
    const destination = server.service.getContainerClient("c").getBlobClient("b");
    await copyBlob(source, destination);
    const put = server.requests.find((r) => r.method === "PUT");
    const copySource = new URL(String(put?.headers["x-ms-copy-source"]));
    expect(copySource.pathname).toBe("/otheraccount/c/a");
    expect(copySource.searchParams.get("sp")).toBe("r");
    expect(copySource.searchParams.get("sig")).toBeTruthy();
  });
});

// When the caller aborts while copyBlob follows a pending asynchronous copy, a service slow to
// answer Abort Copy Blob does not hold up the abort (found by the reliability suite: it used to
// wait up to 30 s).
test("an abort takes effect at once even when Abort Copy Blob is slow to answer", async () => {
  const big = String(300 * 1024 * 1024);
  const controller = new AbortController();
  await using server = await startContractServer(async (r): Promise<Answer> => {
    if (r.method === "HEAD" && r.path === "/c/a") {
      return { status: 200, headers: blobHeaders({ "content-length": big }) };
    }
    if (r.method === "PUT" && r.query.get("comp") === "copy") {
      // The service takes 10 s to confirm the abort.
      await new Promise((resolve) => setTimeout(resolve, 10_000).unref());
      return { status: 204 };
    }
    if (r.method === "PUT") {
      return { status: 202, headers: { "x-ms-copy-id": "c-9", "x-ms-copy-status": "pending" } };
    }
    controller.abort();
    return {
      status: 200,
      headers: blobHeaders({
        "x-ms-copy-id": "c-9",
        "x-ms-copy-status": "pending",
        "x-ms-copy-progress": `1/${big}`,
      }),
    };
  });
  const container = server.service.getContainerClient("c");
  const started = performance.now();
  const error = await copyBlob(container.getBlobClient("a"), container.getBlobClient("b"), {
    pollIntervalMs: 1,
    signal: controller.signal,
  }).catch((e: unknown) => e);
  expect(performance.now() - started).toBeLessThan(2_000);
  expect(error).toMatchObject({ code: "Aborted" });
  expect(String(error)).toMatch(/did not confirm aborting the pending copy.*may still complete/);
  // The abort was sent all the same.
  const abort = server.requests.at(-1);
  expect(abort?.query.get("copyid")).toBe("c-9");
  expect(abort?.headers["x-ms-copy-action"]).toBe("abort");
});
