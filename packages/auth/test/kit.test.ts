// The toolbox of @blobkit/auth/kit (src/kit.ts and src/kit/*.ts) on its own, without a server:
// abortable waits that leave nothing behind, the backoff formula, the option checks' wording, and
// the error helpers that keep every field of a StorageError.

import { spawn } from "node:child_process";
import { getEventListeners } from "node:events";
import { open } from "node:fs/promises";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import {
  createHttpHeaders,
  createPipelineRequest,
  type PipelineResponse,
  RestError,
} from "@azure/core-rest-pipeline";
import { BlobServiceClient } from "@azure/storage-blob";
import { describe, expect, test } from "vitest";
import { StorageError } from "../src/index.js";
import {
  backoff,
  checkChoice,
  checkHeaderValue,
  checkInteger,
  destinationError,
  fileSystemError,
  heldByOtherProcess,
  hintsByServiceCode,
  isFileSystemFailure,
  raceAbort,
  randomUuid,
  runOperation,
  serviceErrorOf,
  serviceVersionOf,
  sleep,
  sourceError,
  withHint,
  withMessage,
} from "../src/kit.js";

/** Timers alive in this process (vitest's own included), to see that none is left behind. */
const activeTimers = () =>
  process.getActiveResourcesInfo().filter((resource) => resource === "Timeout").length;

const invalid = (field: string) => expect.objectContaining({ code: "InvalidArgument", field });

describe("sleep", () => {
  test("resolves after the delay and leaves no listener on the signal", async () => {
    const controller = new AbortController();
    const started = performance.now();
    await expect(sleep(50, controller.signal)).resolves.toBeUndefined();
    expect(performance.now() - started).toBeGreaterThanOrEqual(45);
    expect(getEventListeners(controller.signal, "abort")).toHaveLength(0);
  });

  test("rejects as soon as the signal fires, with onAbort's value, and clears its timer", async () => {
    const before = activeTimers();
    const controller = new AbortController();
    const marker = new StorageError("Aborted", "stopped");
    const sleeping = sleep(60_000, controller.signal, () => marker);
    expect(activeTimers()).toBe(before + 1);
    const started = performance.now();
    controller.abort();
    await expect(sleeping).rejects.toBe(marker);
    expect(performance.now() - started).toBeLessThan(1_000);
    expect(activeTimers()).toBe(before);
    expect(getEventListeners(controller.signal, "abort")).toHaveLength(0);
  });

  test("rejects with the signal's reason by default, at once if it has already fired", async () => {
    const before = activeTimers();
    const reason = new Error("already cancelled");
    await expect(sleep(60_000, AbortSignal.abort(reason))).rejects.toBe(reason);
    expect(activeTimers()).toBe(before);
  });
});

describe("raceAbort", () => {
  test("settles like the promise, and leaves no listener behind", async () => {
    const controller = new AbortController();
    await expect(raceAbort(Promise.resolve("done"), controller.signal)).resolves.toBe("done");
    const failure = new Error("failed");
    await expect(raceAbort(Promise.reject(failure), controller.signal)).rejects.toBe(failure);
    expect(getEventListeners(controller.signal, "abort")).toHaveLength(0);
  });

  test("without a signal it returns the promise itself", () => {
    const promise = Promise.resolve(1);
    expect(raceAbort(promise, undefined)).toBe(promise);
  });

  test("rejects with an AbortError when the signal fires, though the promise never settles", async () => {
    const controller = new AbortController();
    const never = new Promise<string>(() => {});
    const racing = raceAbort(never, controller.signal);
    controller.abort();
    await expect(racing).rejects.toMatchObject({ name: "AbortError" });
  });

  test("rejects with onAbort's value at once if the signal has already fired; the promise's later rejection is ignored", async () => {
    let fail!: (error: Error) => void;
    const later = new Promise<string>((_, reject) => {
      fail = reject;
    });
    const marker = new StorageError("Aborted", "stopped");
    await expect(raceAbort(later, AbortSignal.abort(), () => marker)).rejects.toBe(marker);
    // Would be an unhandled rejection, failing the run, if raceAbort had not handled it.
    fail(new Error("too late"));
    await new Promise((resolve) => setImmediate(resolve));
  });
});

describe("retry delays", () => {
  const settings = { retryDelayMs: 800, maxRetryDelayMs: 30_000, jitter: true };
  test("grow exponentially, with jitter between half and all of the delay", () => {
    expect(backoff(1, settings, undefined, () => 0)).toBe(400);
    expect(backoff(1, settings, undefined, () => 1)).toBe(800);
    expect(backoff(3, settings, undefined, () => 1)).toBe(3_200);
    expect(backoff(20, settings, undefined, () => 1)).toBe(30_000);
  });
  test("honour Retry-After up to the maximum", () => {
    expect(backoff(1, settings, 5_000)).toBe(5_000);
    expect(backoff(1, settings, 120_000)).toBe(30_000);
  });
});

describe("backoff at the edges", () => {
  const fixed = { retryDelayMs: 100, maxRetryDelayMs: 1_000, jitter: false };

  test("without jitter: doubles from retryDelayMs and stops at maxRetryDelayMs", () => {
    expect([1, 2, 3, 4, 5, 6].map((attempt) => backoff(attempt, fixed))).toEqual([
      100, 200, 400, 800, 1_000, 1_000,
    ]);
    // An attempt below 1 is the first; a huge one does not overflow.
    expect(backoff(0, fixed)).toBe(100);
    expect(backoff(10_000, fixed)).toBe(1_000);
  });

  test("with jitter: between half and all of the delay", () => {
    const jittered = { ...fixed, jitter: true };
    for (let i = 0; i < 200; i++) {
      const delay = backoff(3, jittered);
      expect(delay).toBeGreaterThanOrEqual(200);
      expect(delay).toBeLessThanOrEqual(400);
    }
  });

  test("a Retry-After wins within the cap, a negative one is ignored", () => {
    expect(backoff(4, fixed, 0)).toBe(0);
    expect(backoff(1, fixed, 700)).toBe(700);
    expect(backoff(1, fixed, 5_000)).toBe(1_000);
    expect(backoff(2, fixed, -1)).toBe(200);
  });
});

describe("option checks", () => {
  test("checkInteger: the fallback for undefined, the value within bounds, InvalidArgument otherwise", () => {
    const rule = { min: 1, max: 64, unit: "blocks" };
    expect(checkInteger("concurrency", undefined, rule, 8)).toBe(8);
    expect(checkInteger("concurrency", undefined, rule)).toBeUndefined();
    expect(checkInteger("concurrency", 64, rule, 8)).toBe(64);
    for (const value of [0, 65, 1.5, Number.NaN, "4", null, 4n]) {
      expect(() => checkInteger("concurrency", value, rule, 8)).toThrow(invalid("concurrency"));
    }
    expect(() => checkInteger("concurrency", 0, rule)).toThrow(
      /concurrency.*must be an integer from 1 to 64 \(blocks\), got 0/,
    );
  });

  test("checkChoice: the fallback for undefined, one of the choices, or a message listing them", () => {
    const choices = ["md5", "crc64", "none"] as const;
    expect(checkChoice("checksum", undefined, choices, "md5")).toBe("md5");
    expect(checkChoice("checksum", "none", choices, "md5")).toBe("none");
    expect(() => checkChoice("checksum", "MD5", choices, "md5")).toThrow(invalid("checksum"));
    expect(() => checkChoice("checksum", 5, choices, "md5")).toThrow(
      /must be "md5", "crc64" or "none"; got 5/,
    );
  });

  test("checkHeaderValue: printable ASCII and tabs pass; CR, LF and other control or non-ASCII characters are refused", () => {
    expect(checkHeaderValue("contentType", undefined)).toBeUndefined();
    expect(checkHeaderValue("contentType", "text/csv; charset=utf-8")).toBe(
      "text/csv; charset=utf-8",
    );
    expect(checkHeaderValue("ifMatch", '"0x1"\t')).toBe('"0x1"\t');
    for (const value of [
      '"0x1"\r\nx-injected: 1',
      "a\rb",
      "a\nb",
      "a\u0000b",
      "café.txt",
      "",
      42,
    ]) {
      expect(() => checkHeaderValue("ifMatch", value), JSON.stringify(value)).toThrow(
        invalid("ifMatch"),
      );
    }
  });
});

describe("error helpers", () => {
  const cause = new Error("the SDK's error");
  const original = new StorageError("NotFound", "Get blob properties failed (404 BlobNotFound).", {
    statusCode: 404,
    serviceCode: "BlobNotFound",
    requestId: "r-1",
    field: "blob",
    operation: "get blob properties",
    tries: 2,
    cause,
  });
  const kept = {
    statusCode: 404,
    serviceCode: "BlobNotFound",
    requestId: "r-1",
    field: "blob",
    operation: "get blob properties",
    tries: 2,
    cause,
  };

  test("withMessage: a new message (and optionally code), every other field kept", () => {
    const rewritten = withMessage(original, "The report is not there yet.");
    expect(rewritten).toBeInstanceOf(StorageError);
    expect(rewritten).not.toBe(original);
    expect(rewritten).toMatchObject({
      code: "NotFound",
      message: "The report is not there yet.",
      ...kept,
    });
    expect(withMessage(original, "Gone.", "Conflict")).toMatchObject({ code: "Conflict", ...kept });
  });

  test("withHint: the hint appended, every field kept; no hint returns the error itself", () => {
    const hinted = withHint(original, "Check the blob name.");
    expect(hinted).toMatchObject({
      code: "NotFound",
      message: "Get blob properties failed (404 BlobNotFound). Check the blob name.",
      ...kept,
    });
    expect(withHint(original, undefined)).toBe(original);
    expect(withHint(original, "")).toBe(original);
  });

  test("runOperation: returns the result, converts what the SDK throws, then applies explain", async () => {
    const explain = hintsByServiceCode({ ContainerBeingDeleted: "Try again in 30 seconds." });
    const context = { operation: "create container", resource: "container 'reports'" };
    await expect(runOperation(context, async () => "created", explain)).resolves.toBe("created");

    const rest = new RestError("The specified container is being deleted.\nRequestId:r-2", {
      statusCode: 409,
      code: "ContainerBeingDeleted",
    });
    const error = await runOperation(
      context,
      async () => {
        throw rest;
      },
      explain,
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StorageError);
    expect(error).toMatchObject({
      code: "Conflict",
      statusCode: 409,
      serviceCode: "ContainerBeingDeleted",
      operation: "create container",
    });
    expect((error as Error).message).toMatch(/Try again in 30 seconds\.$/);

    // A code the table does not know: converted, no hint.
    const other = await runOperation(
      context,
      async () => {
        throw new RestError("Conflict", { statusCode: 409, code: "ContainerAlreadyExists" });
      },
      explain,
    ).catch((e: unknown) => e);
    expect(other).toMatchObject({ serviceCode: "ContainerAlreadyExists" });
    expect((other as Error).message).not.toMatch(/Try again/);
  });

  test("runOperation: a StorageError from a nested call passes through as is, not explained twice", async () => {
    let explained = 0;
    const explain = (error: StorageError) => {
      explained++;
      return withHint(error, "A hint.");
    };
    const thrown = await runOperation(
      { operation: "outer" },
      () => Promise.reject(original),
      explain,
    ).catch((e: unknown) => e);
    expect(thrown).toBe(original);
    expect(explained).toBe(0);
  });
});

describe("local errors", () => {
  /** A Node.js system error as `fs` builds it (running as root, EACCES cannot be provoked). */
  const fsError = (code: string, syscall: string, path?: string) =>
    Object.assign(new Error(`${code}: failed, ${syscall}${path ? ` '${path}'` : ""}`), {
      errno: -1,
      code,
      syscall,
      ...(path ? { path } : {}),
    });
  const context = { operation: "download blob", resource: "blob 'c/a.csv'", path: "/data/a.csv" };

  test("fileSystemError names the path, the cause in words and what to do, and keeps a sanitized cause", async () => {
    const tooLong = join(tmpdir(), "n".repeat(300));
    const real = await open(tooLong, "w").catch((e: unknown) => e);
    const named = fileSystemError(real, { ...context, path: tooLong });
    expect(named).toBeInstanceOf(StorageError);
    expect(named.code).toBe("FileSystemError");
    expect(named.operation).toBe("download blob");
    expect(named.message).toMatch(
      /^Download blob \(blob 'c\/a\.csv'\) failed: the file name is too long for this file system while opening '.*n{300}' \(ENAMETOOLONG\): use a shorter name/,
    );
    expect(named.cause).toMatchObject({ code: "ENAMETOOLONG", syscall: "open" });
    expect(named.cause).not.toBe(real);

    expect(fileSystemError(fsError("ENOSPC", "write"), context).message).toBe(
      "Download blob (blob 'c/a.csv') failed: the disk is full while writing '/data/a.csv' (ENOSPC): free space and run it again.",
    );
    const partial = "/data/.a.csv.1f2e.partial";
    expect(fileSystemError(fsError("EACCES", "open", partial), context).message).toMatch(
      /no permission while opening '\/data\/\.a\.csv\.1f2e\.partial' \(for '\/data\/a\.csv'\) \(EACCES\): check the permissions/,
    );
    expect(fileSystemError(fsError("EROFS", "open", "/data/a.csv"), context).message).toMatch(
      /the file system is read-only while opening '\/data\/a\.csv' \(EROFS\)/,
    );
    expect(fileSystemError(fsError("EPERM", "rename", partial), context).message).toMatch(
      /not permitted while renaming/,
    );
    // An unknown code keeps the system's own words.
    expect(fileSystemError(fsError("ESTRANGE", "open", "/x"), context).message).toMatch(
      /ESTRANGE: failed, open '\/x' while opening '\/x'/,
    );
    // A StorageError passes through.
    const already = new StorageError("Aborted", "Cancelled.");
    expect(fileSystemError(already, context)).toBe(already);
  });

  test("isFileSystemFailure: fs errors with a path, or a file code without one; never socket errors", () => {
    expect(isFileSystemFailure(fsError("ENOENT", "open", "/x"))).toBe(true);
    expect(isFileSystemFailure(fsError("ENOSPC", "write"))).toBe(true);
    expect(isFileSystemFailure(fsError("EPIPE", "write"))).toBe(false);
    expect(isFileSystemFailure(fsError("ECONNRESET", "read"))).toBe(false);
    expect(
      isFileSystemFailure(
        Object.assign(fsError("EACCES", "connect"), { address: "127.0.0.1", port: 80 }),
      ),
    ).toBe(false);
    expect(isFileSystemFailure(new Error("ENOSPC"))).toBe(false);
  });

  test("sourceError and destinationError say which side failed, quoting its error", () => {
    const op = { operation: "upload blob", resource: "blob 'c/a.csv'" };
    const source = sourceError(new Error("gzip: unexpected end of file"), op);
    expect(source).toMatchObject({ code: "SourceError", operation: "upload blob" });
    expect(source.message).toMatch(
      /^Upload blob \(blob 'c\/a\.csv'\) failed: the source stream failed while being read: gzip: unexpected end of file\./,
    );
    expect((source.cause as Error).message).toBe("gzip: unexpected end of file");
    const fromFile = sourceError(fsError("EISDIR", "read"), op);
    expect(fromFile.message).toMatch(
      /the path is a folder, not a file while reading a local file \(EISDIR\)/,
    );
    const destination = destinationError(new Error("browser went away"), {
      operation: "download blob",
    });
    expect(destination).toMatchObject({ code: "DestinationError" });
    expect(destination.message).toMatch(
      /^Download blob failed: the destination stream failed while being written: browser went away\.$/,
    );
  });
});

test("heldByOtherProcess: only another live process on this host, with a recent write, holds a file", async () => {
  const host = hostname();
  const now = Date.now();
  // The test runner's parent process is alive, on this host, and not this process.
  expect(heldByOtherProcess({ pid: process.ppid, host, writtenAt: now })).toBe(true);
  expect(heldByOtherProcess({ pid: process.pid, host, writtenAt: now })).toBe(false);
  expect(heldByOtherProcess({ pid: process.ppid, host: `${host}-other`, writtenAt: now })).toBe(
    false,
  );
  // Not written for over ten minutes: its process id may belong to another program by now.
  expect(heldByOtherProcess({ pid: process.ppid, host, writtenAt: now - 11 * 60_000 })).toBe(false);
  expect(heldByOtherProcess({ pid: process.ppid, host, writtenAt: Number.NaN })).toBe(false);
  // A process that has exited.
  const child = spawn(process.execPath, ["-e", ""], { stdio: "ignore" });
  const pid = child.pid ?? 0;
  await new Promise((resolve) => child.once("exit", resolve));
  expect(heldByOtherProcess({ pid, host, writtenAt: now })).toBe(false);
});

test("serviceVersionOf: the x-ms-version the SDK's own requests carry, from a client or one derived from it", () => {
  const service = new BlobServiceClient("http://127.0.0.1:1/devstoreaccount1");
  const blob = service.getContainerClient("c").getBlobClient("b");
  const version = serviceVersionOf(service);
  expect(version).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  expect(serviceVersionOf(blob)).toBe(version);
  // Not a storage-blob client: the version BlobKit falls back to.
  expect(serviceVersionOf({})).toBe("2025-01-05");
});

test("serviceErrorOf: the status, the service's error code and the message of its error body, as the SDK reports them", async () => {
  const request = createPipelineRequest({ url: "http://127.0.0.1:1/devstoreaccount1/c" });
  const answer = (status: number, body?: string, code?: string) =>
    ({
      request,
      status,
      headers: createHttpHeaders(code ? { "x-ms-error-code": code } : {}),
      ...(body === undefined ? {} : { bodyAsText: body }),
    }) satisfies PipelineResponse;
  const refused = serviceErrorOf(
    request,
    answer(
      404,
      "<Error><Code>ContainerNotFound</Code><Message>The specified container does not exist.\nRequestId:1</Message></Error>",
      "ContainerNotFound",
    ),
    "List Blobs",
  );
  expect(refused).toBeInstanceOf(RestError);
  expect(refused).toMatchObject({
    statusCode: 404,
    code: "ContainerNotFound",
    message: "The specified container does not exist.\nRequestId:1",
    request,
  });
  expect(serviceErrorOf(request, answer(503), "List Blobs").message).toBe(
    "List Blobs failed with status 503",
  );
  expect(serviceErrorOf(request, answer(304), "Get Blob", "Not modified.").message).toBe(
    "Not modified.",
  );
  // The SDK's own conversion reads it like one of its errors.
  const converted = await runOperation({ operation: "list blobs" }, () =>
    Promise.reject(serviceErrorOf(request, answer(404, "", "ContainerNotFound"), "List Blobs")),
  ).catch((e: unknown) => e);
  expect(converted).toMatchObject({ code: "NotFound", serviceCode: "ContainerNotFound" });
});

describe("randomUuid", () => {
  const V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

  test("is a version 4 UUID, from crypto.randomUUID or, where that is missing (a browser page over plain HTTP), from getRandomValues", () => {
    expect(randomUuid()).toMatch(V4);
    // A page served over HTTP has no crypto.randomUUID: hide it for a moment.
    Object.defineProperty(crypto, "randomUUID", { value: undefined, configurable: true });
    try {
      const ids = Array.from({ length: 1000 }, () => randomUuid());
      for (const id of ids) expect(id).toMatch(V4);
      expect(new Set(ids).size).toBe(1000);
    } finally {
      delete (crypto as { randomUUID?: unknown }).randomUUID;
    }
    expect(typeof crypto.randomUUID).toBe("function");
  });
});
