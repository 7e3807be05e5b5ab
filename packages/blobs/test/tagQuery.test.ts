import { describe, expect, test } from "vitest";
import { TagQuery, tagQuery } from "../src/index.js";

describe("tagQuery", () => {
  test("quotes keys in double quotes and values and the container in single quotes", () => {
    const query = tagQuery()
      .where("project", "=", "apollo")
      .and("status", ">=", "b")
      .inContainer("c12");
    expect(query.toString()).toBe(
      `"project" = 'apollo' AND "status" >= 'b' AND @container = 'c12'`,
    );
    expect(String(tagQuery().where("empty", "=", ""))).toBe(`"empty" = ''`);
  });

  test("is immutable: each call returns a new query", () => {
    const base = tagQuery().where("a", "=", "1");
    const more = base.and("b", "=", "2");
    expect(base.toString()).toBe(`"a" = '1'`);
    expect(more.conditions).toHaveLength(2);
    expect(Object.isFrozen(more.conditions)).toBe(true);
  });

  test("allows a two-sided range on one key and refuses other repetitions", () => {
    expect(
      tagQuery().where("date", ">=", "2024-01-01").and("date", "<", "2025-01-01").toString(),
    ).toBe(`"date" >= '2024-01-01' AND "date" < '2025-01-01'`);
    expect(() => tagQuery().where("date", ">", "a").and("date", ">=", "b")).toThrow(
      /already used; a key may appear twice only as a range/,
    );
    expect(() => tagQuery().where("k", "=", "a").and("k", "=", "b")).toThrow(/already used/);
    expect(() => tagQuery().where("d", ">", "a").and("d", "<", "z").and("d", "<=", "y")).toThrow(
      /already used/,
    );
  });

  test("refuses OR, unknown operators and characters the grammar cannot carry", () => {
    expect(() => tagQuery().where("a", "=", "1").or()).toThrow(/no OR/);
    expect(() => tagQuery().where("a", "!=" as "=", "1")).toThrow(/operator "!=" is not supported/);
    expect(() => tagQuery().where("a", "=", "it's")).toThrow(/has a character other than/);
    expect(() => tagQuery().where('a"b', "=", "1")).toThrow(/has a character other than/);
    expect(() => tagQuery().where("", "=", "1")).toThrow(/key must be 1-128 characters/);
    expect(() => tagQuery().where("a", "=", "x".repeat(257))).toThrow(/at most 256/);
    expect(() => tagQuery().where("a", "=", "1").inContainer("Bad_Name")).toThrow(
      /container names must be lowercase|only lowercase/,
    );
  });

  test("refuses misuse of the builder", () => {
    expect(() => tagQuery().and("a", "=", "1")).toThrow(/start the query with where/);
    expect(() => tagQuery().where("a", "=", "1").where("b", "=", "2")).toThrow(/and\(\)/);
    expect(() => tagQuery().toString()).toThrow(/no condition/);
    expect(() => tagQuery().where("a", "=", "1").inContainer("abc").inContainer("abd")).toThrow(
      /already limited/,
    );
    expect(() => new TagQuery([{ key: "a'", operator: "=", value: "1" }])).toThrow(/character/);
  });
});
