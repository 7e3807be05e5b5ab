import { describe, expect, test } from "vitest";
import { formatMtime, parseMtime, sameByTime } from "../src/internal/compare.js";

describe("mtime metadata", () => {
  test("written with nanoseconds, as rclone writes and compares it, and read back", () => {
    const ns = 1_796_478_383_835_671_234n;
    expect(formatMtime(ns)).toBe("2026-12-05T13:46:23.835671234Z");
    expect(parseMtime(formatMtime(ns))).toBeCloseTo(1_796_478_383_835.671, 2);
    expect(formatMtime(1_796_478_383_000_000_000n)).toBe("2026-12-05T13:46:23.000000000Z");
    // rclone's own format (nanoseconds, or fewer digits) and offsets are understood too.
    expect(parseMtime("2026-12-05T14:26:23.5Z")).toBe(Date.UTC(2026, 11, 5, 14, 26, 23, 500));
    expect(parseMtime("2026-12-05T15:26:23+01:00")).toBe(Date.UTC(2026, 11, 5, 14, 26, 23));
    expect(parseMtime("yesterday")).toBeUndefined();
    expect(parseMtime(undefined)).toBeUndefined();
  });

  test("size and time decide 'unchanged'; without mtime metadata the blob's last-modified time does", () => {
    const remote = { name: "a", size: 3, lastModified: 2_000, mtimeMs: 1_000.4 };
    expect(sameByTime({ size: 3, mtimeMs: 1_000.0 }, remote, "upload")).toBe(true);
    expect(sameByTime({ size: 3, mtimeMs: 1_002 }, remote, "upload")).toBe(false);
    expect(sameByTime({ size: 4, mtimeMs: 1_000.4 }, remote, "upload")).toBe(false);
    const bare = { name: "a", size: 3, lastModified: 2_000 };
    expect(sameByTime({ size: 3, mtimeMs: 1_500 }, bare, "upload")).toBe(true); // blob newer
    expect(sameByTime({ size: 3, mtimeMs: 2_500 }, bare, "upload")).toBe(false); // file newer
    expect(sameByTime({ size: 3, mtimeMs: 2_000 }, bare, "download")).toBe(true);
  });
});
