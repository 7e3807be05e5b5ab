// One benchmark scenario, run in its own process so that its CPU time and peak RSS are its own.
// Reads a JSON spec from argv[2], prints one JSON line with the measurements.
import { execFile } from "node:child_process";
import { createHash, randomUUID } from "node:crypto";
import { createReadStream } from "node:fs";
import { mkdtemp, open, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  BlobServiceClient,
  type ContainerClient,
  StorageSharedKeyCredential,
} from "@azure/storage-blob";
import { connect } from "@blobkit/auth";
import { redactSecrets } from "@blobkit/auth/kit";
import { downloadBlob, uploadBlob } from "@blobkit/blobs";

export interface ScenarioSpec {
  kind: "upload" | "download" | "small-upload";
  impl: string;
  endpoint: string;
  accountName: string;
  accountKey: string;
  container: string;
  blob: string;
  file: string;
  size: number;
  count?: number;
  concurrency?: number;
  /** A container SAS URL, for rclone (which is given no account key). */
  sasUrl?: string;
}

export interface ScenarioResult {
  ms: number;
  bytes: number;
  ops: number;
  cpuMs: number;
  maxRssMiB: number;
}

/** CPU time and peak RSS of an external program (rclone), from GNU time when it is installed. */
let external: { cpuMs: number; maxRssMiB: number } | undefined;
/** Whether GNU time is there to measure rclone; checked once, before the clock starts. */
let gnuTime = false;

/**
 * Runs rclone with the container's SAS URL in its environment (not on its command line), no
 * config file, and GNU time around it when available to measure its own CPU time and peak RSS.
 */
async function rclone(args: string[], sasUrl: string): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), "blobkit-rclone-"));
  const usage = join(dir, "usage");
  const [command, commandArgs] = gnuTime
    ? ["/usr/bin/time", ["-o", usage, "-f", "%U %S %M", "rclone", ...args]]
    : ["rclone", args];
  try {
    await new Promise<void>((resolve, reject) =>
      execFile(
        command,
        commandArgs,
        {
          env: {
            PATH: process.env.PATH ?? "",
            HOME: dir,
            RCLONE_CONFIG: join(dir, "rclone.conf"),
            RCLONE_AZUREBLOB_SAS_URL: sasUrl,
          },
        },
        (error, _stdout, stderr) =>
          error
            ? reject(new Error(`rclone failed: ${redactSecrets(stderr.slice(0, 500))}`))
            : resolve(),
      ),
    );
    if (gnuTime) {
      const [user, system, rssKiB] = (await readFile(usage, "utf8"))
        .trim()
        .split(/\s+/)
        .map(Number);
      external = { cpuMs: ((user ?? 0) + (system ?? 0)) * 1000, maxRssMiB: (rssKiB ?? 0) / 1024 };
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const MiB = 1024 * 1024;

async function pool<T>(
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

/** The fastest raw-SDK upload measured here: stage blocks yourself with a per-block MD5. */
async function stageBlocks(
  container: ContainerClient,
  spec: ScenarioSpec,
  blockSize: number,
  concurrency: number,
) {
  const blob = container.getBlockBlobClient(spec.blob);
  const handle = await open(spec.file, "r");
  try {
    const count = Math.ceil(spec.size / blockSize);
    const ids = Array.from({ length: count }, (_, i) =>
      Buffer.from(String(i).padStart(6, "0")).toString("base64"),
    );
    await pool([...ids.keys()], concurrency, async (i) => {
      const length = Math.min(blockSize, spec.size - i * blockSize);
      const buffer = Buffer.allocUnsafe(length);
      await handle.read(buffer, 0, length, i * blockSize);
      const md5 = createHash("md5").update(buffer).digest();
      await blob.stageBlock(ids[i]!, buffer, length, { transactionalContentMD5: md5 });
    });
    await blob.commitBlockList(ids);
  } finally {
    await handle.close();
  }
}

/** The fastest raw-SDK download measured here: parallel ranged reads written at their offsets. */
async function rangedDownload(
  container: ContainerClient,
  spec: ScenarioSpec,
  rangeSize: number,
  concurrency: number,
) {
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

async function runScenario(spec: ScenarioSpec): Promise<{ bytes: number; ops: number }> {
  const raw = new BlobServiceClient(
    spec.endpoint,
    new StorageSharedKeyCredential(spec.accountName, spec.accountKey),
  );
  const kit = await connect({
    method: "emulator",
    emulator: {
      blobEndpoint: spec.endpoint,
      accountName: spec.accountName,
      accountKey: spec.accountKey,
    },
  });
  const rawContainer = raw.getContainerClient(spec.container);
  const kitContainer = kit.getContainerClient(spec.container);
  switch (`${spec.kind}:${spec.impl}`) {
    case "upload:sdk-default":
      await rawContainer.getBlockBlobClient(spec.blob).uploadFile(spec.file);
      break;
    case "upload:sdk-md5": {
      // The SDK's single request with the same integrity check BlobKit sends.
      const body = await readFile(spec.file);
      await rawContainer.getBlockBlobClient(spec.blob).upload(body, body.length, {
        transactionalContentMD5: createHash("md5").update(body).digest(),
      });
      break;
    }
    case "upload:sdk-tuned":
      await rawContainer.getBlockBlobClient(spec.blob).uploadFile(spec.file, {
        blockSize: 16 * MiB,
        concurrency: 8,
        maxSingleShotSize: 256 * MiB,
      });
      break;
    case "upload:sdk-staged-md5":
      await stageBlocks(rawContainer, spec, 8 * MiB, 4);
      break;
    case "upload:blobkit-default":
      await uploadBlob(kitContainer, spec.blob, { path: spec.file });
      break;
    case "upload:blobkit-no-checksum":
      await uploadBlob(kitContainer, spec.blob, { path: spec.file }, { checksum: "none" });
      break;
    case "upload:rclone":
      await rclone(
        ["copyto", spec.file, `:azureblob:${spec.container}/${spec.blob}`],
        spec.sasUrl ?? "",
      );
      break;
    case "download:rclone":
      await rclone(
        ["copyto", `:azureblob:${spec.container}/${spec.blob}`, spec.file],
        spec.sasUrl ?? "",
      );
      break;
    case "upload:blobkit-stream":
      // A stream of unknown length: the case where the SDK's uploadStream needs a buffer plan.
      await uploadBlob(kitContainer, spec.blob, createReadStream(spec.file));
      break;
    case "upload:blobkit-tuned":
      await uploadBlob(
        kitContainer,
        spec.blob,
        { path: spec.file },
        { blockSize: 16 * MiB, concurrency: 8 },
      );
      break;
    case "download:sdk-default":
      await rawContainer.getBlobClient(spec.blob).downloadToFile(spec.file);
      break;
    case "download:sdk-buffer-tuned": {
      // The SDK's fastest download, at the price of holding the whole blob in memory.
      const buffer = await rawContainer
        .getBlobClient(spec.blob)
        .downloadToBuffer(0, undefined, { blockSize: 16 * MiB, concurrency: 8 });
      await writeFile(spec.file, buffer);
      break;
    }
    case "download:sdk-ranged-parallel":
      await rangedDownload(rawContainer, spec, 16 * MiB, 8);
      break;
    case "download:blobkit-default":
      await downloadBlob(kitContainer.getBlobClient(spec.blob), { path: spec.file });
      break;
    case "download:blobkit-tuned":
      await downloadBlob(
        kitContainer.getBlobClient(spec.blob),
        { path: spec.file },
        { concurrency: 4 },
      );
      break;
    case "small-upload:sdk":
    case "small-upload:blobkit": {
      const body = Buffer.alloc(spec.size, 97);
      const names = Array.from(
        { length: spec.count ?? 1 },
        (_, i) => `${spec.blob}/${i}-${randomUUID()}`,
      );
      await pool(names, spec.concurrency ?? 1, async (name) => {
        if (spec.impl === "sdk")
          await rawContainer.getBlockBlobClient(name).upload(body, body.length);
        else await uploadBlob(kitContainer, name, body);
      });
      return { bytes: spec.size * names.length, ops: names.length };
    }
    default:
      throw new Error(`unknown scenario ${spec.kind}:${spec.impl}`);
  }
  return { bytes: spec.size, ops: 1 };
}

const spec = JSON.parse(process.argv[2] ?? "{}") as ScenarioSpec;
if (spec.impl === "rclone") {
  gnuTime = await new Promise<boolean>((resolve) =>
    execFile("/usr/bin/time", ["-f", "%U", "true"], (error) => resolve(!error)),
  );
}
const cpu0 = process.cpuUsage();
const t0 = performance.now();
const done = await runScenario(spec);
const ms = performance.now() - t0;
const cpu = process.cpuUsage(cpu0);
const result: ScenarioResult = {
  ms,
  bytes: done.bytes,
  ops: done.ops,
  // For rclone, its own CPU time and peak RSS (0 when GNU time is not installed).
  cpuMs: spec.impl === "rclone" ? (external?.cpuMs ?? 0) : (cpu.user + cpu.system) / 1000,
  maxRssMiB:
    spec.impl === "rclone" ? (external?.maxRssMiB ?? 0) : process.resourceUsage().maxRSS / 1024,
};
console.log(`RESULT ${JSON.stringify(result)}`);
