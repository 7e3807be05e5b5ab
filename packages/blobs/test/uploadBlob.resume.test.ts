// Resumable file uploads (`resumable`, issue 17): block IDs derived from the file, so an upload
// interrupted after some blocks were staged and run again sends only the missing blocks, and
// the blob is byte-identical; a file changed in between gets new IDs, so no block of the old
// content is ever committed; `resumable: false` never reuses anything.
import { utimes, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { type ContainerClient, ContainerSASPermissions } from "@azure/storage-blob";
import { connect, isStorageError } from "@blobkit/auth";
import { describe, expect, test } from "@blobkit/testing/vitest";
import { uploadBlob } from "../src/index.js";
import {
  blobkitContainer,
  bytes,
  md5Base64,
  type RecordedRequest,
  sha256,
  startRecordingProxy,
  tempFolder,
} from "./transfer-helpers.js";

const KiB = 1024;
const BLOCK = 64 * KiB;
const BLOCKS = 16;
const OPTIONS = { blockSize: BLOCK, maxSingleShotSize: BLOCK, concurrency: 2 };

function putBlocks(requests: RecordedRequest[]): RecordedRequest[] {
  return requests.filter((r) => r.method === "PUT" && /[?&]comp=block(&|$)/.test(r.url));
}

async function uncommitted(client: ContainerClient, name: string): Promise<string[]> {
  const list = await client.getBlockBlobClient(name).getBlockList("uncommitted");
  return (list.uncommittedBlocks ?? []).map((block) => block.name);
}

/** Uploads `path` in blocks and aborts once `blocks` blocks are done; returns what is staged. */
async function interrupted(client: ContainerClient, path: string, blocks: number) {
  const controller = new AbortController();
  const error = await uploadBlob(
    client,
    "resumed.bin",
    { path },
    {
      ...OPTIONS,
      signal: controller.signal,
      onProgress: ({ loaded }) => {
        if (loaded >= blocks * BLOCK) controller.abort();
      },
    },
  ).catch((e: unknown) => e);
  expect(isStorageError(error, "Aborted"), String(error)).toBe(true);
  expect(await client.getBlobClient("resumed.bin").exists()).toBe(false);
  return uncommitted(client, "resumed.bin");
}

describe("uploadBlob: a file upload run again after an interruption", () => {
  test("sends only the blocks the service does not hold, and the blob is byte-identical", async ({
    azurite,
    container,
  }) => {
    await using proxy = await startRecordingProxy(azurite.blobEndpoint);
    const client = await blobkitContainer(azurite, container.name, proxy.url);
    await using folder = await tempFolder();
    const data = bytes(BLOCKS * BLOCK - 100);
    const path = join(folder.path, "resumed.bin");
    await writeFile(path, data);

    const staged = await interrupted(client, path, 6);
    expect(staged.length).toBeGreaterThanOrEqual(6);
    expect(staged.length).toBeLessThan(BLOCKS);
    const firstRun = putBlocks(proxy.requests).length;

    const result = await uploadBlob(client, "resumed.bin", { path }, OPTIONS);
    const secondRun = putBlocks(proxy.requests).length - firstRun;
    expect(result.resumedBlocks).toBe(staged.length);
    expect(result.resumedBytes).toBe(staged.length * BLOCK);
    expect(result.blockCount).toBe(BLOCKS);
    // Only the missing blocks went out again.
    expect(secondRun).toBe(BLOCKS - staged.length);
    // The whole-blob MD5 still covers every byte (held blocks are read, not sent).
    expect(Buffer.from(result.contentMD5 ?? []).toString("base64")).toBe(md5Base64(data));
    const stored = await client.getBlobClient("resumed.bin").downloadToBuffer();
    expect(sha256(stored)).toBe(sha256(data));
    const list = await client.getBlockBlobClient("resumed.bin").getBlockList("all");
    expect(list.committedBlocks?.length).toBe(BLOCKS);
    expect(list.uncommittedBlocks?.length ?? 0).toBe(0);
  });

  test("a file changed in between gets new block IDs: nothing of the old content is committed", async ({
    azurite,
    container,
  }) => {
    await using proxy = await startRecordingProxy(azurite.blobEndpoint);
    const client = await blobkitContainer(azurite, container.name, proxy.url);
    await using folder = await tempFolder();
    const path = join(folder.path, "resumed.bin");
    await writeFile(path, bytes(BLOCKS * BLOCK));
    const staged = await interrupted(client, path, 4);
    expect(staged.length).toBeGreaterThanOrEqual(4);

    // Same size, other bytes, and a modification time moved on.
    const changed = bytes(BLOCKS * BLOCK);
    await writeFile(path, changed);
    const later = new Date(Date.now() + 5_000);
    await utimes(path, later, later);
    const before = putBlocks(proxy.requests).length;
    const result = await uploadBlob(client, "resumed.bin", { path }, OPTIONS);
    expect(result.resumedBlocks).toBe(0);
    expect(putBlocks(proxy.requests).length - before).toBe(BLOCKS);
    const list = await client.getBlockBlobClient("resumed.bin").getBlockList("committed");
    const committed = (list.committedBlocks ?? []).map((block) => block.name);
    expect(committed).toHaveLength(BLOCKS);
    for (const id of staged) expect(committed).not.toContain(id);
    const stored = await client.getBlobClient("resumed.bin").downloadToBuffer();
    expect(sha256(stored)).toBe(sha256(changed));
  });

  test("resumable: false never reuses staged blocks", async ({ azurite, container }) => {
    await using proxy = await startRecordingProxy(azurite.blobEndpoint);
    const client = await blobkitContainer(azurite, container.name, proxy.url);
    await using folder = await tempFolder();
    const data = bytes(BLOCKS * BLOCK);
    const path = join(folder.path, "resumed.bin");
    await writeFile(path, data);
    await interrupted(client, path, 4);
    const before = proxy.requests.length;
    const result = await uploadBlob(
      client,
      "resumed.bin",
      { path },
      { ...OPTIONS, resumable: false },
    );
    expect(result.resumedBlocks).toBe(0);
    const second = proxy.requests.slice(before);
    expect(putBlocks(second)).toHaveLength(BLOCKS);
    // No Get Block List either: nothing to look up.
    expect(second.filter((r) => r.method === "GET" && /comp=blocklist/.test(r.url))).toHaveLength(
      0,
    );
    expect(sha256(await client.getBlobClient("resumed.bin").downloadToBuffer())).toBe(sha256(data));
  });

  test("blocks left by an interrupted upload of any source never block the next upload", async ({
    azurite,
    container,
  }) => {
    // The service refuses block IDs of another length than the uncommitted ones: every source's
    // IDs must have one length.
    const client = await blobkitContainer(azurite, container.name);
    await using folder = await tempFolder();
    const data = bytes(BLOCKS * BLOCK);
    const path = join(folder.path, "resumed.bin");
    await writeFile(path, data);
    await interrupted(client, path, 4);
    const fromBytes = await uploadBlob(client, "resumed.bin", data, OPTIONS);
    expect(fromBytes.blockCount).toBe(BLOCKS);
    // And the other way round: bytes interrupted, then the file.
    const controller = new AbortController();
    await uploadBlob(client, "other.bin", data, {
      ...OPTIONS,
      signal: controller.signal,
      onProgress: ({ loaded }) => {
        if (loaded >= 4 * BLOCK) controller.abort();
      },
    }).catch(() => {});
    expect((await uncommitted(client, "other.bin")).length).toBeGreaterThan(0);
    const fromFile = await uploadBlob(client, "other.bin", { path }, OPTIONS);
    expect(fromFile.resumedBlocks).toBe(0);
    expect(sha256(await client.getBlobClient("other.bin").downloadToBuffer())).toBe(sha256(data));
  });
});

describe("uploadBlob: a File uploaded again after an interruption (a browser's picked file)", () => {
  /** Uploads `file` in blocks and aborts once `blocks` blocks are done. */
  async function interruptedFile(
    client: ContainerClient,
    file: File,
    blocks: number,
    name = "picked.bin",
  ) {
    const controller = new AbortController();
    const error = await uploadBlob(client, name, file, {
      ...OPTIONS,
      signal: controller.signal,
      onProgress: ({ loaded }) => {
        if (loaded >= blocks * BLOCK) controller.abort();
      },
    }).catch((e: unknown) => e);
    expect(isStorageError(error, "Aborted"), String(error)).toBe(true);
    return uncommitted(client, name);
  }

  test("the same File sends only the blocks the service does not hold; a File with the same name, size and date but other bytes in one block sends that block again", async ({
    azurite,
    container,
  }) => {
    await using proxy = await startRecordingProxy(azurite.blobEndpoint);
    const client = await blobkitContainer(azurite, container.name, proxy.url);
    const data = bytes(BLOCKS * BLOCK - 100);
    const picked = () => new File([data], "photo.raw", { lastModified: 1_700_000_000_000 });

    const staged = await interruptedFile(client, picked(), 6);
    expect(staged.length).toBeGreaterThanOrEqual(6);
    expect(staged.length).toBeLessThan(BLOCKS);
    const firstRun = putBlocks(proxy.requests).length;

    // The page was reloaded: the user picks the same file again, a new File object.
    const result = await uploadBlob(client, "picked.bin", picked(), OPTIONS);
    expect(result.resumedBlocks).toBe(staged.length);
    expect(putBlocks(proxy.requests).length - firstRun).toBe(BLOCKS - staged.length);
    expect(Buffer.from(result.contentMD5 ?? []).toString("base64")).toBe(md5Base64(data));
    const stored = await client.getBlobClient("picked.bin").downloadToBuffer();
    expect(sha256(stored)).toBe(sha256(data));

    // A File with the same name, size and modification time whose block 7 holds other bytes,
    // after an interrupted upload of the original: block 7 is sent again, never reused.
    const staged2 = await interruptedFile(client, picked(), 12, "next.bin");
    expect(staged2.length).toBeGreaterThanOrEqual(12);
    const changed = Buffer.from(data);
    changed[7 * BLOCK + 5] = (changed[7 * BLOCK + 5] ?? 0) ^ 0xff;
    const other = new File([changed], "photo.raw", { lastModified: 1_700_000_000_000 });
    const beforeRetry = putBlocks(proxy.requests).length;
    const retried = await uploadBlob(client, "next.bin", other, OPTIONS);
    expect(retried.resumedBlocks).toBe(staged2.length - 1);
    expect(putBlocks(proxy.requests).length - beforeRetry).toBe(BLOCKS - staged2.length + 1);
    const next = await client.getBlobClient("next.bin").downloadToBuffer();
    expect(sha256(next)).toBe(sha256(changed));
  });

  test("with an upload-only SAS (cw, no read), a File and a file by path upload without the checks that need read; overwrite: false still refuses", async ({
    container,
  }) => {
    const sas = await container.client.generateSasUrl({
      permissions: ContainerSASPermissions.parse("cw"),
      expiresOn: new Date(Date.now() + 600_000),
    });
    const service = await connect({
      method: "sas",
      accountUrl: container.client.url,
      sasToken: new URL(sas).search,
      allowHttp: true,
      retry: { maxTries: 1 },
    });
    const client = service.getContainerClient(container.name);
    // The SAS really cannot read: listing the uncommitted blocks is refused.
    const refused = await client
      .getBlockBlobClient("x")
      .getBlockList("uncommitted")
      .catch((e: unknown) => e);
    expect((refused as { statusCode?: number }).statusCode).toBe(403);

    const data = bytes(4 * BLOCK + 10);
    const file = new File([data], "photo.raw", { lastModified: 1_700_000_000_000 });
    const first = await uploadBlob(client, "upload-only.bin", file, {
      ...OPTIONS,
      overwrite: false,
    });
    expect(first).toMatchObject({ blockCount: 5, resumedBlocks: 0 });
    const again = await uploadBlob(client, "upload-only.bin", file, {
      ...OPTIONS,
      overwrite: false,
    }).catch((e: unknown) => e);
    expect(isStorageError(again, "AlreadyExists"), String(again)).toBe(true);
    await using folder = await tempFolder();
    const path = join(folder.path, "by-path.bin");
    await writeFile(path, data);
    expect(await uploadBlob(client, "by-path.bin", { path }, OPTIONS)).toMatchObject({
      blockCount: 5,
      resumedBlocks: 0,
    });
    const stored = await container.client.getBlobClient("upload-only.bin").downloadToBuffer();
    expect(sha256(stored)).toBe(sha256(data));
  });

  test("resumable: false stages every block again", async ({ azurite, container }) => {
    const client = await blobkitContainer(azurite, container.name);
    const data = bytes(BLOCKS * BLOCK);
    const file = () => new File([data], "photo.raw", { lastModified: 1_700_000_000_000 });
    await interruptedFile(client, file(), 6);
    const result = await uploadBlob(client, "picked.bin", file(), { ...OPTIONS, resumable: false });
    expect(result.resumedBlocks).toBe(0);
    expect(sha256(await client.getBlobClient("picked.bin").downloadToBuffer())).toBe(sha256(data));
  });
});
