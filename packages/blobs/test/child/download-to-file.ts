// A download to a file in a process of its own, for tests that kill it mid-transfer. Reads its job
// from argv[2] (JSON: emulator connection, container, blob, path, download options), prints
// "PROGRESS <bytes>" as bytes arrive and "RESULT <json>" at the end.
// Run by test/child/runChild.ts with the workspace sources (see source-hooks.ts).
import { connect } from "@blobkit/auth";
import { downloadBlob } from "@blobkit/blobs";

const job = JSON.parse(process.argv[2] ?? "{}") as {
  emulator: { blobEndpoint: string; accountName: string; accountKey: string };
  container: string;
  blob: string;
  path: string;
  options: { rangeSize?: number; concurrency?: number };
};
const service = await connect({ method: "emulator", emulator: job.emulator });
const blob = service.getContainerClient(job.container).getBlobClient(job.blob);
const result = await downloadBlob(
  blob,
  { path: job.path },
  { ...job.options, onProgress: ({ loaded }) => console.log(`PROGRESS ${loaded}`) },
);
console.log(`RESULT ${JSON.stringify({ resumedBytes: result.resumedBytes, etag: result.etag })}`);
