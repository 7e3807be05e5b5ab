// fast-check arbitraries of blob index tags, shared by the property-based tests of tagQuery and
// validateTags: keys and values from the tag alphabet, and characters that must never get through.
import fc from "fast-check";
import type { TagOperator } from "../src/index.js";

export const TAG_ALPHABET = "abcXYZ0189 +-.:=_/";
export const tagChar = fc.constantFrom(...TAG_ALPHABET);
export const tagKey = fc
  .string({ unit: tagChar, minLength: 1, maxLength: 128 })
  .filter((key) => key.trim() !== "");
// Azurite's query evaluator looks keys up in a plain object and answers 500 for these names.
export const PROTOTYPE_NAMES = new Set(Object.getOwnPropertyNames(Object.prototype));
export const tagValue = fc.string({ unit: tagChar, minLength: 0, maxLength: 256 });
export const operator = fc.constantFrom<TagOperator>("=", ">", ">=", "<", "<=");
// Characters that must never get through: quotes, escapes, operators of other grammars, Unicode.
export const hostile = fc.constantFrom(..."'\"\\@()!<>&|%#?*~`$^,;[]{}é€\u0000\n\t😀");
