// The early write-back of durable downloads (fdatasync while the download runs): one at a time
// per process, never more often than every N bytes, and a failed one is never forgotten (after a
// failed flush Linux reports the error once; the final flush may then succeed over lost pages).
import { describe, expect, it } from "vitest";
import { EarlyWriteBack } from "../src/internal/download/early-write-back.js";

/** A file whose `datasync` calls stay pending until released, each one's outcome chosen then. */
function heldFile() {
  const pending: Array<(error?: Error) => void> = [];
  return {
    pending,
    file: {
      datasync: () =>
        new Promise<void>((resolve, reject) => {
          pending.push((error) => (error ? reject(error) : resolve()));
        }),
    },
  };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe("EarlyWriteBack", () => {
  it("writes back once enough bytes are pending, one flush at a time in the process", async () => {
    const a = heldFile();
    const b = heldFile();
    const first = new EarlyWriteBack(a.file, 100);
    const second = new EarlyWriteBack(b.file, 100);
    first.wrote(60);
    expect(a.pending).toHaveLength(0);
    first.wrote(60);
    expect(a.pending).toHaveLength(1);
    // Another file's write-back waits while one runs in the process; so does this file's next.
    second.wrote(500);
    first.wrote(500);
    expect(b.pending).toHaveLength(0);
    expect(a.pending).toHaveLength(1);
    a.pending[0]?.();
    await first.settled();
    second.wrote(1);
    expect(b.pending).toHaveLength(1);
    b.pending[0]?.();
    await expect(second.done()).resolves.toBeUndefined();
    await expect(first.done()).resolves.toBeUndefined();
  });

  it("keeps the first failure for done(), even when a later write-back succeeds", async () => {
    const { file, pending } = heldFile();
    const writeBack = new EarlyWriteBack(file, 10);
    writeBack.wrote(10);
    pending[0]?.(new Error("EIO: i/o error, fdatasync"));
    await writeBack.settled();
    writeBack.wrote(10);
    expect(pending).toHaveLength(2);
    pending[1]?.();
    await tick();
    await expect(writeBack.done()).rejects.toThrow(/EIO/);
  });

  it("settled() waits for a running write-back and never rejects (before the file is closed)", async () => {
    const { file, pending } = heldFile();
    const writeBack = new EarlyWriteBack(file, 1);
    writeBack.wrote(1);
    let settled = false;
    const waiting = writeBack.settled().then(() => {
      settled = true;
    });
    await tick();
    expect(settled).toBe(false);
    pending[0]?.(new Error("ENOSPC"));
    await waiting;
    expect(settled).toBe(true);
    await expect(writeBack.done()).rejects.toThrow(/ENOSPC/);
  });
});
