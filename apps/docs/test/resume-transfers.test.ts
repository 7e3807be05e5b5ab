import { injectAzurite, injectAzuriteHttps } from "@blobkit/testing/vitest";
import { expect, test } from "vitest";
import { main } from "../samples/resume-transfers.ts";
import { createSampleEnvironment } from "../scripts/environment.ts";

const MiB = 1024 * 1024;

test("the resume-transfers sample continues an interrupted folder upload, file upload and file download", async () => {
  await using env = await createSampleEnvironment(injectAzurite(), injectAzuriteHttps());
  const results = await main(env);
  // The folder: what the interrupted run stored is skipped, the rest is sent, nothing twice.
  expect(results.folderCrash).toBe("interrupted");
  const { skipped, transferred, failed } = results.folderResumed;
  expect(failed).toEqual([]);
  expect(skipped.length).toBeGreaterThanOrEqual(10);
  expect(transferred.length).toBeGreaterThan(0);
  expect(skipped.length + transferred.length).toBe(100);
  expect(skipped.every((item) => item.reason === "unchanged")).toBe(true);
  expect(results.folderResumed.bytesTransferred).toBe(transferred.length * 4096);
  expect(results.folderAgain.skipped).toHaveLength(100);
  // With a checkpoint, the run after the interruption reports the whole upload.
  expect(results.scansCrash).toBe("interrupted");
  expect(results.checkpointAfterCrash).toBe(true);
  expect(results.scansResumed.failed).toEqual([]);
  expect(results.scansResumed.skipped).toEqual([]);
  expect(results.scansResumed.transferred).toHaveLength(50);
  expect(results.scansResumed.earlierRuns?.runs).toBe(1);
  expect(results.scansResumed.earlierRuns?.files).toBeGreaterThanOrEqual(10);
  expect(results.checkpointAfterResume).toBe(false);
  // The file upload: the blocks staged before the interruption are not sent again.
  expect(results.uploadCrash).toBe("interrupted");
  expect(results.uploaded).toMatchObject({ contentLength: 8 * MiB, blockCount: 8 });
  expect(results.uploaded.resumedBlocks).toBeGreaterThanOrEqual(3);
  expect(results.uploaded.resumedBlocks).toBeLessThan(8);
  expect(results.uploaded.resumedBytes).toBe(results.uploaded.resumedBlocks * MiB);
  // The download: a partial file and its journal, nothing under the final name...
  expect(results.downloadCrash).toBe("interrupted");
  expect(results.leftAfterCrash).toEqual([
    ".session.bin.blobkit-journal",
    ".session.bin.blobkit-partial",
  ]);
  // ...then it continues from them, checked against the stored MD5, byte for byte. The abort
  // comes once 3 MiB have arrived, counting the two 1 MiB ranges in flight, so at least 2 whole
  // ranges are in the journal (3 when the in-flight ones happened to be complete).
  expect(results.downloaded.resumedBytes).toBeGreaterThanOrEqual(2 * MiB);
  expect(results.downloaded.resumedBytes).toBeLessThan(8 * MiB);
  expect(results.downloaded).toMatchObject({ contentLength: 8 * MiB, verification: "verified" });
  expect(results.leftAfterResume).toEqual(["session.bin"]);
  expect(results.identical).toBe(true);
});
