// The service reports a copy's progress as one header, `x-ms-copy-progress: copied/total`; both
// getBlobProperties and a followed copy read it.

/** Parses `x-ms-copy-progress` ("copied/total"); both fields are undefined when it is absent. */
export function parseCopyProgress(progress: string | undefined): {
  bytesCopied: number | undefined;
  totalBytes: number | undefined;
} {
  const match = progress?.match(/^(\d+)\/(\d+)$/);
  return match
    ? { bytesCopied: Number(match[1]), totalBytes: Number(match[2]) }
    : { bytesCopied: undefined, totalBytes: undefined };
}
