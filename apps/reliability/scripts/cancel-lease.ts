// Cancellation of lease waits, in its own process: another holder keeps a 60 s lease while
// acquireLease and withLease wait for it (`wait`). Aborting each wait must reject with "Aborted"
// within 1 s, leave the holder's lease untouched, and never run withLease's function; once the
// holder releases, no aborted waiter may turn up holding the lease. Then an acquire aborted while
// its request is held in flight by a slow service (a proxy delaying lease requests by 30 s) must
// reject within 1 s too. The process must then exit by itself.
import { connect } from "@blobkit/auth";
import { uploadBlob } from "@blobkit/blobs";
import { createContainer } from "@blobkit/containers";
import { acquireLease, getLeaseState, withLease } from "@blobkit/leases";
import { startAzurite, startFaultProxy } from "@blobkit/testing";
import { abortAndMeasure, check, report, sleep, waitUntil } from "./support.ts";

const WAIT = { timeoutMs: 60_000, retryDelayMs: 100, maxRetryDelayMs: 400 };

const azurite = await startAzurite();
const proxy = await startFaultProxy(azurite.blobEndpoint);
let result: Record<string, unknown>;
try {
  const service = await connect({ method: "emulator", emulator: azurite });
  await createContainer(service, "locks");
  await uploadBlob(service.getContainerClient("locks"), "lock", "");
  const blob = service.getContainerClient("locks").getBlobClient("lock");
  const holder = await acquireLease(blob, { durationSeconds: 60 });

  // acquireLease with wait: tries, backs off, tries again... until aborted.
  const controllerA = new AbortController();
  const runningA = acquireLease(blob, {
    durationSeconds: 15,
    wait: WAIT,
    signal: controllerA.signal,
  });
  await sleep(700);
  const acquire = await abortAndMeasure("acquireLease wait", controllerA, runningA);

  // withLease with wait: same, and fn must never run.
  let ran = false;
  const controllerB = new AbortController();
  const runningB = withLease(
    blob,
    () => {
      ran = true;
    },
    { wait: WAIT, signal: controllerB.signal },
  );
  await sleep(700);
  const lock = await abortAndMeasure("withLease wait", controllerB, runningB);
  check(!ran, "withLease ran its function although it never held the lease");

  const during = await getLeaseState(blob);
  check(during.state === "leased", `the holder's lease is ${during.state}`);
  // Still the holder's: renewing with its id works.
  await holder.renew();
  await holder.release();
  // A try in flight at abort time could only land now; give it the chance, then look.
  await sleep(300);
  const after = await getLeaseState(blob);
  check(after.state === "available", `after the holder released, the lease is ${after.state}`);

  // An acquire whose request the service holds: the abort must not wait for the service, not
  // even for the release BlobKit sends in case the lease was granted meanwhile.
  proxy.setRules([{ fault: "delay", method: "PUT", path: /comp=lease/, delayMs: 30_000 }]);
  const slow = await connect({
    method: "emulator",
    emulator: { ...azurite.toJSON(), blobEndpoint: proxy.url },
  });
  const controllerC = new AbortController();
  const runningC = acquireLease(slow.getContainerClient("locks").getBlobClient("lock"), {
    durationSeconds: 15,
    wait: WAIT,
    signal: controllerC.signal,
  });
  await waitUntil("acquire request in flight", () => proxy.stats.faults.delay >= 1);
  const inFlight = await abortAndMeasure("acquireLease in flight", controllerC, runningC);

  result = {
    operation: "acquireLease / withLease with wait",
    acquireLease: acquire,
    withLease: { ...lock, fnRan: ran },
    acquireLeaseInFlight: { ...inFlight, requestsHeldBySlowService: proxy.stats.faults.delay },
    holderLeaseKept: true,
    leaseStateAfterRelease: after.state,
  };
} finally {
  await proxy.stop();
  await azurite.stop();
}
report(result);
