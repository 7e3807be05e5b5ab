// breakLease against the embedded Azurite: at once, with a period, and the service's default
// period for infinite and fixed leases.
import { isStorageError } from "@blobkit/auth";
import { describe, expect, test } from "@blobkit/testing/vitest";
import { acquireLease, breakLease, getLeaseState } from "../src/index.js";
import { blobWith, containerOf, failure } from "./helpers.js";

describe("blob leases", () => {
  test("break at once: the holder can neither renew nor write", async ({ azurite, container }) => {
    const blob = await blobWith(await containerOf(azurite, container.name), "break.txt");
    const lease = await acquireLease(blob, 60);
    expect(await breakLease(blob, { breakPeriodSeconds: 0 })).toEqual({ remainingSeconds: 0 });
    expect(await getLeaseState(blob)).toEqual({
      state: "broken",
      status: "unlocked",
      duration: undefined,
    });
    const renew = await failure(lease.renew());
    expect(renew.serviceCode).toBe("LeaseIsBrokenAndCannotBeRenewed");
    expect(renew.message).toMatch(/was broken with breakLease/);
    const write = await failure(blob.upload("x", 1, { conditions: { leaseId: lease.leaseId } }));
    expect(write.statusCode).toBe(412);
    // A broken lease can be released, and a new one acquired at once.
    await lease.release();
    await (await acquireLease(blob, 15)).release();
  });

  test("break with a period: writes with the id still work until it ends", async ({
    azurite,
    container,
  }) => {
    const blob = await blobWith(await containerOf(azurite, container.name), "grace.txt");
    const lease = await acquireLease(blob, 60);
    const { remainingSeconds } = await lease.break({ breakPeriodSeconds: 10 });
    expect(remainingSeconds).toBe(10);
    expect((await getLeaseState(blob)).state).toBe("breaking");
    await blob.upload("x", 1, { conditions: { leaseId: lease.leaseId } });
    const other = await failure(acquireLease(blob, 15));
    expect(isStorageError(other, "LeaseConflict")).toBe(true);
    await breakLease(blob, { breakPeriodSeconds: 0 });
    expect((await getLeaseState(blob)).state).toBe("broken");
  });

  test("break without a period ends an infinite lease at once", async ({ azurite, container }) => {
    const blob = await blobWith(await containerOf(azurite, container.name), "inf.txt");
    await acquireLease(blob, "infinite");
    expect(await breakLease(blob)).toEqual({ remainingSeconds: 0 });
    expect((await getLeaseState(blob)).state).toBe("broken");
  });

  test("break without a period lets a fixed lease run out its duration", async ({
    azurite,
    container,
  }) => {
    const blob = await blobWith(await containerOf(azurite, container.name), "fixed.txt");
    const lease = await acquireLease(blob, 60);
    const { remainingSeconds } = await breakLease(blob);
    expect(remainingSeconds).toBeGreaterThan(50);
    expect(remainingSeconds).toBeLessThanOrEqual(60);
    expect((await getLeaseState(blob)).state).toBe("breaking");
    await blob.upload("x", 1, { conditions: { leaseId: lease.leaseId } });
    await breakLease(blob, { breakPeriodSeconds: 0 });
  });
});
