// Property-based tests of the tag query builder: every query round-trips through quoting, and a
// character outside the tag alphabet is refused.

import { describe, expect, test } from "@blobkit/testing/vitest";
import fc from "fast-check";
import { type TagCondition, tagQuery } from "../src/index.js";
import { hostile, operator, tagChar, tagKey, tagValue } from "./tag-arbitraries.js";

/** A tiny parser of the Find Blobs by Tags grammar, written independently of the builder. */
function parseQuery(expression: string): { conditions: TagCondition[]; container?: string } {
  let at = 0;
  const conditions: TagCondition[] = [];
  let container: string | undefined;
  const expect_ = (text: string) => {
    if (!expression.startsWith(text, at)) throw new Error(`expected ${text} at ${at}`);
    at += text.length;
  };
  const quoted = (quote: string) => {
    expect_(quote);
    const end = expression.indexOf(quote, at);
    if (end < 0) throw new Error("unterminated string");
    const text = expression.slice(at, end);
    at = end + 1;
    return text;
  };
  for (;;) {
    if (expression.startsWith("@container", at)) {
      expect_("@container = ");
      container = quoted("'");
    } else {
      const key = quoted('"');
      expect_(" ");
      const op = (["<=", ">=", "=", "<", ">"] as const).find((o) => expression.startsWith(o, at));
      if (!op) throw new Error(`no operator at ${at}`);
      at += op.length;
      expect_(" ");
      conditions.push({ key, operator: op, value: quoted("'") });
    }
    if (at === expression.length) break;
    expect_(" AND ");
  }
  return container === undefined ? { conditions } : { conditions, container };
}

describe("tagQuery (property-based)", () => {
  test("any accepted query round-trips through quoting", () => {
    const conditions = fc.uniqueArray(fc.tuple(tagKey, operator, tagValue), {
      minLength: 1,
      maxLength: 10,
      selector: ([key]) => key,
    });
    const containerName = fc.stringMatching(/^[a-z0-9]{3,20}$/);
    fc.assert(
      fc.property(conditions, fc.option(containerName, { nil: undefined }), (list, container) => {
        const [first, ...rest] = list;
        if (!first) return;
        let query = tagQuery().where(...first);
        for (const condition of rest) query = query.and(...condition);
        if (container !== undefined) query = query.inContainer(container);
        const parsed = parseQuery(query.toString());
        expect(parsed.conditions).toEqual(
          list.map(([key, op, value]) => ({ key, operator: op, value })),
        );
        expect(parsed.container).toBe(container);
      }),
      { numRuns: 300 },
    );
  });

  test("a quote or any character outside the tag alphabet is refused", () => {
    const withHostile = fc
      .tuple(
        fc.string({ unit: tagChar, maxLength: 10 }),
        hostile,
        fc.string({ unit: tagChar, maxLength: 10 }),
      )
      .map(([a, h, b]) => `${a}${h}${b}`);
    fc.assert(
      fc.property(withHostile, fc.boolean(), (text, inKey) => {
        const build = () =>
          inKey ? tagQuery().where(text, "=", "v") : tagQuery().where("k", "=", text);
        expect(build).toThrow(/has a character other than letters, digits, space/);
      }),
      { numRuns: 300 },
    );
  });
});
