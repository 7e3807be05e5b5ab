import { isStorageError, type StorageError } from "@blobkit/auth";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import {
  acquireLease,
  breakLease,
  changeLease,
  releaseLease,
  renewLease,
  runAsLeader,
  withLease,
} from "../src/index.js";
import { startCountingServer } from "./helpers.js";

const GOOD_ID = "3f2504e0-4f89-11d3-9a0c-0305e82c3301";
let server: Awaited<ReturnType<typeof startCountingServer>>;

beforeAll(async () => {
  server = await startCountingServer();
});
afterAll(async () => {
  await server.close();
});

async function expectInvalid(promise: Promise<unknown>, field: string): Promise<StorageError> {
  const before = server.requests;
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(isStorageError(error, "InvalidArgument"), String(error)).toBe(true);
  expect((error as StorageError).field).toBe(field);
  expect(server.requests, "no request may be sent").toBe(before);
  return error as StorageError;
}

describe("invalid input is rejected before any request", () => {
  test.each([14, 61, 0, 30.5, Number.NaN, Number.POSITIVE_INFINITY, "60", "forever", null])(
    "duration %s",
    async (duration) => {
      const blob = server.container.getBlockBlobClient("a");
      const error = await expectInvalid(acquireLease(blob, duration as number), "durationSeconds");
      expect(error.message).toMatch(/15 to 60, or "infinite"/);
      await expectInvalid(
        acquireLease(blob, { durationSeconds: duration as number }),
        "durationSeconds",
      );
      await expectInvalid(
        withLease(blob, () => 1, { durationSeconds: duration as number }),
        "durationSeconds",
      );
    },
  );

  test("a duration given both positionally and in the options must agree", async () => {
    const blob = server.container.getBlockBlobClient("a");
    const error = await expectInvalid(
      acquireLease(blob, 30, { durationSeconds: 15 } as never),
      "durationSeconds",
    );
    expect(error.message).toMatch(/given twice/);
    await expectInvalid(acquireLease(blob, {} as never, {}), "options");
    // Only a plain object is taken for options; anything else is a (bad) positional duration.
    await expectInvalid(acquireLease(blob, new Map() as never), "durationSeconds");
  });

  test('-1 is refused with a pointer to "infinite"', async () => {
    const error = await expectInvalid(acquireLease(server.container, -1), "durationSeconds");
    expect(error.message).toMatch(/use "infinite"/);
  });

  test.each([
    "nope",
    "",
    `{${GOOD_ID}}`,
    GOOD_ID.replaceAll("-", ""),
    `${GOOD_ID}0`,
    "3f2504e0-4f89-11d3-9a0c-0305e82c330g",
    `${GOOD_ID}\r\nx-injected: 1`,
    `${GOOD_ID}\n`,
    42,
  ])("lease id %j", async (id) => {
    const blob = server.container.getBlockBlobClient("a");
    const bad = id as string;
    await expectInvalid(renewLease(blob, bad), "leaseId");
    await expectInvalid(releaseLease(server.container, bad), "leaseId");
    await expectInvalid(changeLease(blob, bad, GOOD_ID), "leaseId");
    await expectInvalid(changeLease(blob, GOOD_ID, bad), "proposedLeaseId");
    await expectInvalid(acquireLease(blob, 15, { proposedLeaseId: bad }), "proposedLeaseId");
    await expectInvalid(acquireLease(blob, { proposedLeaseId: bad }), "proposedLeaseId");
    await expectInvalid(
      withLease(blob, () => 1, { proposedLeaseId: bad }),
      "proposedLeaseId",
    );
  });

  test("lease ids are GUIDs in any case", async () => {
    const blob = server.container.getBlockBlobClient("a");
    const before = server.requests;
    const error = await renewLease(blob, GOOD_ID.toUpperCase()).catch((e: unknown) => e);
    expect(isStorageError(error, "ServerError")).toBe(true);
    expect(server.requests).toBe(before + 1);
  });

  test.each([-1, 61, 1.5, "5"])("break period %s", async (period) => {
    await expectInvalid(
      breakLease(server.container, { breakPeriodSeconds: period as number }),
      "breakPeriodSeconds",
    );
  });

  test("withLease and runAsLeader options", async () => {
    const blob = server.container.getBlockBlobClient("a");
    const error = await expectInvalid(
      withLease(blob, () => 1, { durationSeconds: 15, renewIntervalMs: 13_500 }),
      "renewIntervalMs",
    );
    expect(error.message).toMatch(/below 13500 ms/);
    await expectInvalid(
      withLease(blob, () => 1, { renewIntervalMs: 0 }),
      "renewIntervalMs",
    );
    for (const releaseTimeoutMs of [0, -5, Number.NaN, Number.POSITIVE_INFINITY, "1s"]) {
      await expectInvalid(
        withLease(blob, () => 1, { releaseTimeoutMs: releaseTimeoutMs as number }),
        "releaseTimeoutMs",
      );
    }
    await expectInvalid(
      withLease(blob, () => 1, { wait: { timeoutMs: -1 } }),
      "wait.timeoutMs",
    );
    await expectInvalid(
      withLease(blob, () => 1, { wait: { timeoutMs: 10, maxRetryDelayMs: Number.NaN } }),
      "wait.maxRetryDelayMs",
    );
    await expectInvalid(withLease(blob, "work" as unknown as () => number), "fn");
    await expectInvalid(
      runAsLeader(blob, () => 1, { durationSeconds: "infinite" as unknown as number }),
      "durationSeconds",
    );
    await expectInvalid(acquireLease({} as never, 15), "target");
  });
});
