import { describe, expect, test } from "vitest";
import { validateBlobName } from "../src/index.js";

describe("validateBlobName", () => {
  test("refuses a backslash, which the service turns into a slash", () => {
    expect(() => validateBlobName("a\\b")).toThrow(/backslash.*use "\/"/);
  });

  test("refuses the non-characters U+FFFE and U+FFFF", () => {
    expect(() => validateBlobName("a\uffffb")).toThrow(/U\+FFFF/);
    expect(() => validateBlobName("\ufffe")).toThrow(/U\+FFFE/);
  });

  test("still accepts reserved URL characters, spaces and emoji", () => {
    for (const name of ["a?b#c", "100% done.txt", " lead", "😀/x", "a//b"]) {
      expect(validateBlobName(name)).toBe(name);
    }
  });
});
