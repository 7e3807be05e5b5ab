import { describe, expect, test } from "vitest";
import { validateTags } from "../src/index.js";

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
