// The browser's file.ts, which bundlers load in its place (the `browser` condition of
// `#upload-file`). A web page cannot open a path; it has the File itself, which uploadBlob reads
// as a Blob.
import { invalidArgument } from "@blobkit/auth/kit";
import type * as Node from "./file.js";

export const uploadFile: typeof Node.uploadFile = async () => {
  throw invalidArgument(
    "source",
    'a file path cannot be read in a browser: upload the File itself (from an <input type="file"> or a drop), which uploadBlob reads as a Blob',
  );
};
