// The folder scenarios of BlobKit (@blobkit/transfer): upload, no-change sync and download.
import { downloadDirectory, uploadDirectory } from "@blobkit/transfer";
import { blobkitContainer } from "./blobkit-client.ts";
import { type Runner, treeDone } from "./spec.ts";

/** Connects (before the clock: an application connects once), then the scenario. */
export const prepare: Runner = async (spec) => {
  const container = await blobkitContainer(spec);
  switch (`${spec.kind}:${spec.impl}`) {
    // The no-change sync is the same call again: everything is skipped by size and mtime.
    case "tree-upload:blobkit":
    case "tree-sync:blobkit":
    case "tree-sync:blobkit-lean":
      return async () => {
        const result = await uploadDirectory(container, spec.file, {
          prefix: spec.blob,
          ...(spec.impl === "blobkit-lean" ? { keepItems: false } : {}),
        });
        return treeDone(spec, result.counts.transferred);
      };
    case "tree-download:blobkit":
    case "tree-download:blobkit-not-durable":
      return async () => {
        const result = await downloadDirectory(container, spec.file, {
          prefix: spec.blob,
          ...(spec.impl === "blobkit-not-durable" ? { durable: false } : {}),
        });
        return treeDone(spec, result.counts.transferred);
      };
    default:
      throw new Error(`unknown scenario ${spec.kind}:${spec.impl}`);
  }
};
