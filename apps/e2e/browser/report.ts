// What the page's scenarios take and report, shared by main.ts and browser.test.ts (no DOM
// types here: the test is type-checked for Node.js).
import type { UploadGrant } from "../../docs/samples/browser-page.ts";

/** Where the page connects. */
export interface ScenarioInput {
  /** From the guide's `uploadGrant`: a SAS for one container. */
  grant: UploadGrant;
  /** The account's endpoint, for the requests a browser must refuse. */
  blobEndpoint: string;
  /** An HTTPS emulator taking bearer tokens, and a token it accepts. */
  entra: { accountUrl: string; token: string; container: string };
}

/** A step that must fail: the error's code and message, and the requests it sent. */
export interface Refusal {
  code: string | undefined;
  message: string;
  requests: number;
}

/** What the page saw. */
export interface ScenarioReport {
  upload: { blockCount: number; contentLength: number; md5: boolean; percents: number[] };
  /** A 17 MiB File cancelled after its first block, then picked again (a new File of the same bytes). */
  resumed: {
    cancelled: string | undefined;
    resumedBlocks: number;
    blockCount: number;
    same: boolean;
  };
  readBack: { same: boolean; verification: string; contentType: string | undefined };
  ranged: { same: boolean; verification: string; blobSize: number };
  corrupt: Refusal;
  /** The same blob read as a web stream: the stream errors after its last byte. */
  corruptStream: Refusal;
  /** The guide's `saveToDisk` into the origin private file system, and of the corrupted blob. */
  toDisk: {
    contentLength: number;
    verification: string;
    same: boolean;
    corrupt: Refusal;
    keptText: string;
  };
  overwrite: Refusal;
  leased: string;
  entra: { text: string; verification: string; names: string[] };
  refused: Record<
    "accountKey" | "connectionString" | "uploadFromPath" | "downloadToFile" | "aborted",
    Refusal
  >;
}

/** A download through a proxy that cuts bodies. */
export interface FaultyDownloadReport {
  sha256: string;
  verification: string;
  contentLength: number;
  lastProgress: number | undefined;
}

/** An upload over a throttled link: how long it took, or how it failed. */
export interface SlowUploadReport {
  ms: number;
  blockCount?: number;
  error?: { code: string | undefined; message: string };
}
