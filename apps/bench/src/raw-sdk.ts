// The hand-written raw @azure/storage-blob transfers the benchmark compares BlobKit with: the
// fastest ways found to upload and download with the SDK's own calls.
import { createHash } from "node:crypto";
import { open } from "node:fs/promises";
import type { ContainerClient } from "@azure/storage-blob";

/** Runs `fn` over `items` with at most `concurrency` calls in flight. */
export async function pool<T>(
  items: T[],
  concurrency: number,
  fn: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, items.length) }, async () => {
      while (next < items.length) {
        const item = items[next++]!;
        await fn(item);
      }
    }),
  );
}

/** The target of one transfer: a blob and a local file of known size. */
export interface FileTransfer {
  blob: string;
  file: string;
  size: number;
}

/**
 * The fastest raw-SDK upload measured here: stage blocks yourself with a per-block MD5. With
 * `wholeMd5`, also the whole file's MD5, hashed block by block in order as the blocks are read
 * (a block waits for those before it, not for the network), and committed with the block list:
 * the integrity BlobKit's defaults give.
 */
export async function stageBlocks(
  container: ContainerClient,
  spec: FileTransfer,
  blockSize: number,
  concurrency: number,
  { wholeMd5 = false }: { wholeMd5?: boolean } = {},
): Promise<void> {
  const blob = container.getBlockBlobClient(spec.blob);
  const handle = await open(spec.file, "r");
  try {
    const count = Math.ceil(spec.size / blockSize);
    const ids = Array.from({ length: count }, (_, i) =>
      Buffer.from(String(i).padStart(6, "0")).toString("base64"),
    );
    const whole = wholeMd5 ? createHash("md5") : undefined;
    let inOrder = Promise.resolve();
    await pool([...ids.keys()], concurrency, async (i) => {
      const length = Math.min(blockSize, spec.size - i * blockSize);
      const buffer = Buffer.allocUnsafe(length);
      const read = handle.read(buffer, 0, length, i * blockSize);
      // Blocks are taken in order, so chaining here hashes them in order.
      if (whole) inOrder = inOrder.then(() => read).then(() => void whole.update(buffer));
      await read;
      const md5 = createHash("md5").update(buffer).digest();
      await blob.stageBlock(ids[i]!, buffer, length, { transactionalContentMD5: md5 });
    });
    await inOrder;
    await blob.commitBlockList(
      ids,
      whole ? { blobHTTPHeaders: { blobContentMD5: whole.digest() } } : {},
    );
  } finally {
    await handle.close();
  }
}

/** The fastest raw-SDK download measured here: parallel ranged reads written at their offsets. */
export async function rangedDownload(
  container: ContainerClient,
  spec: FileTransfer,
  rangeSize: number,
  concurrency: number,
): Promise<void> {
  const blob = container.getBlobClient(spec.blob);
  const handle = await open(spec.file, "w");
  try {
    const count = Math.ceil(spec.size / rangeSize);
    await pool([...Array(count).keys()], concurrency, async (i) => {
      const offset = i * rangeSize;
      const response = await blob.download(offset, Math.min(rangeSize, spec.size - offset));
      let position = offset;
      for await (const chunk of response.readableStreamBody as AsyncIterable<Buffer>) {
        await handle.write(chunk, 0, chunk.length, position);
        position += chunk.length;
      }
    });
  } finally {
    await handle.close();
  }
}
