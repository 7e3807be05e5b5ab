// The rows of each benchmark group: which implementations run, with what label and role. The ids
// are the scenario names of scenario.ts.
import { DEFAULT_TRANSFER_BUDGET } from "@blobkit/blobs";
import { rcloneVersion } from "./harness.ts";

/**
 * How a row counts in the ratios: BlobKit, the raw SDK (its defaults or tuned), rclone, or the
 * emulator's ceiling (a client that does nothing but read the bytes, compared with no one).
 */
export type Role = "sdk-default" | "raw" | "blobkit-default" | "blobkit" | "reference" | "ceiling";

export interface Impl {
  id: string;
  /** The scenario to run (scenario.ts); `id` when left out. */
  scenario?: string;
  label: string;
  role: Role;
  /** Whether every request carries an MD5 of its body (uploads). */
  md5?: boolean;
  /** Only for sizes up to this many MiB. */
  maxSizeMiB?: number;
  /**
   * Only for sizes above this many MiB: below it, the settings make exactly the same requests
   * as the defaults, and a second sample of the same thing would only add noise.
   */
  aboveSizeMiB?: number;
  /** rclone's `--transfers` (trees). */
  transfers?: number;
  /** Trees: sync onto the upload BlobKit made (not the implementation's own). */
  ontoBlobKit?: boolean;
  /** Flags of the Node.js process the row runs in. */
  nodeFlags?: string[];
  /** Trees: only for this shape of tree. */
  onlyShape?: "small" | "large";
}

/** The single-request threshold of BlobKit's defaults: rows about single requests stop there. */
const SINGLE_SHOT_MiB = 32;
/**
 * rclone copies a file above `--multi-thread-cutoff` (250 MiB) in several streams, and then (1.60)
 * logs "Src hash empty - aborting Dst hash check": such a download is not verified.
 */
const RCLONE_MULTI_THREAD_CUTOFF_MiB = 250;
/** rclone's default `--transfers`, and BlobKit's default budget of requests in flight. */
export const RCLONE_TRANSFERS = 4;
export const BLOBKIT_CONCURRENCY = DEFAULT_TRANSFER_BUDGET.concurrency;

const rcloneOnly = (impls: Impl[]): Impl[] => (rcloneVersion ? impls : []);

export const UPLOADS: Impl[] = [
  { id: "sdk-default", label: "SDK `uploadFile`, defaults", role: "sdk-default" },
  {
    id: "sdk-md5",
    label: "SDK `upload` of the bytes, with `transactionalContentMD5`",
    role: "raw",
    md5: true,
    maxSizeMiB: SINGLE_SHOT_MiB,
  },
  {
    id: "sdk-tuned",
    label: "SDK `uploadFile`, 16 MiB blocks × 8",
    role: "raw",
    // uploadFile sends up to 256 MiB in one request, with or without these settings.
    aboveSizeMiB: 256,
  },
  {
    id: "sdk-staged-md5",
    label: "SDK: blocks staged by hand with MD5, 8 MiB × 4",
    role: "raw",
    md5: true,
  },
  {
    id: "sdk-staged-whole-md5",
    label:
      "SDK: blocks staged by hand with MD5, 8 MiB × 4, and a whole-blob MD5 (BlobKit's integrity)",
    role: "raw",
    md5: true,
    // One request below that: the service stores the body's MD5 itself.
    aboveSizeMiB: SINGLE_SHOT_MiB,
  },
  {
    id: "blobkit-default",
    label: "**BlobKit `uploadBlob`, defaults** (path; MD5 per request + whole-blob MD5)",
    role: "blobkit-default",
    md5: true,
  },
  {
    id: "blobkit-no-whole-md5",
    label: 'BlobKit, `contentMD5: "none"` (MD5 per request only)',
    role: "blobkit",
    md5: true,
  },
  {
    id: "blobkit-crc64",
    label: 'BlobKit, `checksum: "crc64"` (CRC64 per request + whole-blob MD5)',
    role: "blobkit",
  },
  {
    id: "blobkit-no-checksum",
    label: 'BlobKit, `checksum: "none"`',
    role: "blobkit",
    maxSizeMiB: SINGLE_SHOT_MiB,
  },
  {
    id: "blobkit-tuned",
    label: "BlobKit, 16 MiB blocks × 8 (fast-network settings)",
    role: "blobkit",
    md5: true,
    aboveSizeMiB: SINGLE_SHOT_MiB,
  },
  {
    id: "blobkit-stream",
    label: "BlobKit from a stream of unknown length",
    role: "blobkit",
    md5: true,
  },
  ...rcloneOnly([{ id: "rclone", label: "rclone `copyto`, defaults", role: "reference" }]),
];

export const DOWNLOADS: Impl[] = [
  { id: "sdk-default", label: "SDK `downloadToFile`, defaults", role: "sdk-default" },
  {
    id: "sdk-buffer-tuned",
    label: "SDK `downloadToBuffer`, 16 MiB × 8, then written",
    role: "raw",
  },
  { id: "sdk-ranged-parallel", label: "SDK: parallel ranges by hand, 16 MiB × 8", role: "raw" },
  {
    id: "blobkit-default",
    label: "**BlobKit `downloadBlob`, defaults** (path; MD5 verified, fsync)",
    role: "blobkit-default",
  },
  { id: "blobkit-no-verify", label: "BlobKit, `verify: false`", role: "blobkit" },
  { id: "blobkit-not-durable", label: "BlobKit, `durable: false` (no fsync)", role: "blobkit" },
  {
    id: "blobkit-unverified-not-durable",
    label:
      "BlobKit, `verify: false`, `durable: false` (what rclone `--ignore-checksum` and the SDK do)",
    role: "blobkit",
  },
  { id: "blobkit-tuned", label: "BlobKit, concurrency 4", role: "blobkit" },
  ...rcloneOnly([
    {
      id: "rclone",
      label: `rclone \`copyto\`, defaults (MD5 checked up to ${RCLONE_MULTI_THREAD_CUTOFF_MiB} MiB)`,
      role: "reference",
    },
    {
      id: "rclone-single-stream",
      label: "rclone `copyto --multi-thread-streams 0` (one stream, MD5 checked)",
      role: "reference",
      aboveSizeMiB: RCLONE_MULTI_THREAD_CUTOFF_MiB,
    },
    {
      id: "rclone-ignore-checksum",
      label: "rclone `copyto --ignore-checksum`",
      role: "reference",
    },
  ]),
];

export const SMALL: Impl[] = [
  { id: "sdk", label: "SDK `upload`, defaults", role: "sdk-default" },
  { id: "blobkit", label: "**BlobKit `uploadBlob`**", role: "blobkit-default", md5: true },
];

/** rclone at its default `--transfers` and at BlobKit's concurrency, for one tree command. */
const rcloneTree = (command: string, suffix = ""): Impl[] =>
  rcloneOnly(
    [RCLONE_TRANSFERS, BLOBKIT_CONCURRENCY].map((transfers) => ({
      id: `rclone-${transfers}`,
      scenario: "rclone",
      label: `rclone \`${command} --transfers ${transfers}\`${transfers === RCLONE_TRANSFERS ? " (default)" : " (BlobKit's concurrency)"}${suffix}`,
      role: "reference" as const,
      transfers,
    })),
  );

export const TREE_UPLOADS: Impl[] = [
  {
    id: "blobkit",
    label: "**BlobKit `uploadDirectory`, defaults**",
    role: "blobkit-default",
    md5: true,
  },
  ...rcloneTree("copy"),
];

export const TREE_SYNCS: Impl[] = [
  {
    id: "blobkit",
    label: "**BlobKit `uploadDirectory` again**, defaults",
    role: "blobkit-default",
  },
  ...rcloneTree("sync", " onto its own upload"),
];

/**
 * The no-change sync of a tree ten times larger (`--tree-scale`), for memory: uploaded once by
 * BlobKit (rclone would take minutes more to upload its own copy), then synced by each. rclone
 * reads BlobKit's `mtime`, so its sync onto that upload is a no-change sync too (the notes column
 * says whether it changed anything).
 */
export const SCALE_SYNCS: Impl[] = [
  {
    id: "blobkit",
    label: "**BlobKit `uploadDirectory` again**, defaults",
    role: "blobkit-default",
  },
  {
    id: "blobkit-lean",
    label: "BlobKit `uploadDirectory` again, `keepItems: false` (counts, no per-file lists)",
    role: "blobkit",
  },
  ...rcloneOnly([
    {
      id: `rclone-${RCLONE_TRANSFERS}`,
      scenario: "rclone",
      label: `rclone \`sync --transfers ${RCLONE_TRANSFERS}\` (default) onto BlobKit's upload`,
      role: "reference",
      transfers: RCLONE_TRANSFERS,
      ontoBlobKit: true,
    },
  ]),
];

/**
 * rclone's sync onto the tree BlobKit uploaded: not a rotated row, it runs after the others, as
 * it may rewrite the blobs' metadata (see the notes column).
 */
export const TREE_SYNC_INTEROP: Impl[] = rcloneOnly([
  {
    id: "rclone-onto-blobkit",
    scenario: "rclone",
    label: `rclone \`sync --transfers ${RCLONE_TRANSFERS}\` onto BlobKit's upload`,
    role: "reference",
    transfers: RCLONE_TRANSFERS,
    ontoBlobKit: true,
  },
]);

export const TREE_DOWNLOADS: Impl[] = [
  {
    id: "blobkit",
    label: "**BlobKit `downloadDirectory`, defaults** (MD5 verified, fsync)",
    role: "blobkit-default",
  },
  {
    id: "blobkit-not-durable",
    label: "BlobKit `downloadDirectory`, `durable: false` (MD5 verified, no fsync)",
    role: "blobkit",
  },
  {
    // The defaults again, in a Node.js whose young generation is capped at 8 MiB a semi-space:
    // how much of the peak RSS of many small files is the garbage collector's sizing rather
    // than live data (a large-file tree's peak is its buffers: nothing to see there).
    id: "blobkit-small-young",
    scenario: "blobkit",
    label: "BlobKit `downloadDirectory`, defaults, `node --max-semi-space-size=8`",
    role: "blobkit",
    nodeFlags: ["--max-semi-space-size=8"],
    onlyShape: "small",
  },
  ...rcloneTree("copy", ", MD5 checked"),
  {
    id: "ceiling",
    label: `emulator ceiling: \`node:http\` GETs, ${BLOBKIT_CONCURRENCY} keep-alive connections, bodies read and dropped (no file, no check)`,
    role: "ceiling",
    transfers: BLOBKIT_CONCURRENCY,
    // One GET per file: for large files, ranges read in parallel go faster, so it is no ceiling.
    onlyShape: "small",
  },
];
