// validateMetadata: entries that would be lost or mangled on the way are rejected (the rules are
// covered by validateMetadata.property.test.ts).
import { describe, expect, test } from "vitest";
import { validateMetadata } from "../src/index.js";

describe("validators", () => {
  test("validateMetadata keeps a __proto__ entry and rejects a Map instead of sending nothing", () => {
    const parsed = JSON.parse('{"__proto__":"x","a":"b"}') as Record<string, string>;
    const checked = validateMetadata(parsed);
    expect(Object.keys(checked)).toEqual(["__proto__", "a"]);
    expect(Object.getPrototypeOf(checked)).toBe(Object.prototype);
    expect(() => validateMetadata(new Map([["a", "b"]]))).toThrow(/plain object/);
    expect(() => validateMetadata(null)).toThrow(/must be an object/);
    expect(() => validateMetadata({ a: 1 })).toThrow(/value must be a string, got number/);
    expect(() => validateMetadata({ a: " x" })).toThrow(/start or end with spaces/);
  });
});
