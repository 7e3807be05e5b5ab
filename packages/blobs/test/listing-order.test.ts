import { describe, expect, test } from "vitest";
import { compareNames, mergeByName } from "../src/internal/listing.js";

// Names in the service's order (UTF-8 bytes), including the cases where UTF-16 code units order
// differently: a character above U+FFFF (a surrogate pair) sorts after U+E000-U+FFFF in UTF-8.
const NAMES = [
  "",
  "a",
  "a-b/",
  "a.txt",
  "a/",
  "a/b",
  "b",
  "caf\u00e9",
  "cafe\u0301",
  "\u00ff",
  "\u0800",
  "\ud7ff",
  "\ue000",
  "\uffff",
  "\u{1f600}",
  "\u{1f600}x",
  "\u{10ffff}",
];

describe("listing order", () => {
  test("compareNames orders names by their UTF-8 bytes, as the service does", () => {
    const utf8 = (a: string, b: string) => Buffer.compare(Buffer.from(a), Buffer.from(b));
    for (const a of NAMES)
      for (const b of NAMES) expect(compareNames(a, b), `${a} vs ${b}`).toBe(utf8(a, b));
  });

  test("mergeByName merges two ordered lists into one", () => {
    const named = (names: string[]) => names.map((name) => ({ name }));
    const odd = named(NAMES.filter((_, i) => i % 2 === 1));
    const even = named(NAMES.filter((_, i) => i % 2 === 0));
    const merged = mergeByName(odd, even).map((item) => item.name);
    expect(merged).toEqual([...NAMES].sort(compareNames));
    expect(mergeByName([], even)).toEqual(even);
    expect(mergeByName(odd, [])).toEqual(odd);
  });
});
