// The job's range read in order, one request at a time, as pieces a caller may keep (copies of
// the lent ones), hashed as they pass; after the last piece the MD5 is compared and a mismatch
// is thrown, so a stream or writable fed from it ends with an error instead of a clean end.
import { createHash } from "node:crypto";
import { rangePieces } from "./range-reader.js";
import { type DownloadJob, takeFirstSlot } from "./start.js";
import { type VerificationPlan, verifyDigest } from "./verify.js";

export async function* sequentialChunks(
  job: DownloadJob,
  plan: VerificationPlan,
  kept: string,
): AsyncGenerator<Buffer> {
  job.firstTaken = true;
  // One request at a time: the first request's budget slot serves every resume too.
  const slot = takeFirstSlot(job);
  const md5 = plan.verification === "verified" ? createHash("md5") : undefined;
  try {
    for await (const piece of rangePieces(
      job.reader,
      job.start,
      job.end - job.start,
      job.firstBody,
    )) {
      md5?.update(piece);
      yield Buffer.from(piece);
    }
  } finally {
    slot?.();
  }
  if (md5) await verifyDigest(job.reader.context, plan, () => md5.digest(), kept);
}
