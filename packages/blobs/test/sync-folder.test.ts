// The folder flush after a rename, shared by downloads that finish together (a group commit):
// every caller must resolve only after a flush that STARTED after its call, however the calls
// interleave; and far fewer flushes run than calls.
import { describe, expect, it } from "vitest";
import { groupCommit } from "../src/internal/download/sync-folder.js";

describe("groupCommit (the folder flush of downloads)", () => {
  it("each caller waits for a flush that started after it asked; concurrent callers share flushes", async () => {
    let clock = 0;
    const flushes: { folder: string; startedAt: number; endedAt?: number }[] = [];
    const sync = groupCommit(async (folder) => {
      const flush: (typeof flushes)[number] = { folder, startedAt: ++clock };
      flushes.push(flush);
      await new Promise((resolve) => setTimeout(resolve, 1 + Math.random() * 3));
      flush.endedAt = ++clock;
    });
    const calls: Promise<void>[] = [];
    for (let i = 0; i < 200; i++) {
      const folder = `f${i % 3}`;
      const askedAt = ++clock;
      calls.push(
        sync(folder).then(() => {
          const resolvedAt = ++clock;
          // A flush of this folder started after the call and ended before it resolved.
          const covering = flushes.find(
            (f) =>
              f.folder === folder &&
              f.startedAt > askedAt &&
              f.endedAt !== undefined &&
              f.endedAt < resolvedAt,
          );
          expect(covering, `call ${i} on ${folder}`).toBeDefined();
        }),
      );
      if (i % 7 === 0) await new Promise((resolve) => setTimeout(resolve, 1));
    }
    await Promise.all(calls);
    expect(flushes.length).toBeGreaterThan(3);
    expect(flushes.length).toBeLessThan(100);
    // Nothing left running: a later call starts a flush of its own at once.
    const before = flushes.length;
    await sync("f0");
    expect(flushes.length).toBe(before + 1);
  });
});
