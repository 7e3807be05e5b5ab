import { describe, expect, test } from "vitest";
import { validateBlobName, validateTags } from "../src/index.js";

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

describe("validateTags", () => {
  test("keeps every key as an own property of the result", () => {
    const tags = validateTags(
      Object.fromEntries([
        ["constructor", "v"],
        ["toString", "w"],
      ]),
    );
    expect(Object.keys(tags)).toEqual(["constructor", "toString"]);
  });

  test("refuses __proto__, which JavaScript objects cannot carry as a key", () => {
    expect(() => validateTags(Object.fromEntries([["__proto__", "v"]]))).toThrow(
      /"__proto__" is not supported/,
    );
  });

  test("refuses keys made of spaces only, and accepts empty values", () => {
    expect(() => validateTags({ "  ": "v" })).toThrow(/other than spaces/);
    expect(validateTags({ flag: "" })).toEqual({ flag: "" });
  });
});
