// validateContainerName: the special containers and the length bounds (the grammar is covered
// by validateContainerName.property.test.ts).
import { describe, expect, test } from "vitest";
import { validateContainerName } from "../src/index.js";

describe("validators", () => {
  test("validateContainerName accepts the special containers and boundary lengths", () => {
    for (const name of ["$root", "$web", "$logs", "abc", "a".repeat(63), "a-b-c", "0-9"]) {
      expect(validateContainerName(name)).toBe(name);
    }
    expect(() => validateContainerName("a".repeat(64))).toThrow(/3-63 characters long, got 64/);
  });
});
