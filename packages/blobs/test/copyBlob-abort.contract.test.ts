// Contract test: when the caller aborts while copyBlob follows a pending asynchronous copy, a
// service slow to answer Abort Copy Blob does not hold up the abort (found by the reliability
// suite: it used to wait up to 30 s).
import { expect, test } from "vitest";
import { copyBlob } from "../src/index.js";
import { type Answer, blobHeaders, startContractServer } from "./contract-server.js";

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
