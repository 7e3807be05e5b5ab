// A typed builder for blob index tag queries, so values are never interpolated into the
// expression by hand. It produces exactly the grammar Find Blobs by Tags accepts and refuses the rest.
import { describeValue, invalidArgument } from "@blobkit/auth/kit";
import { validateContainerName } from "@blobkit/containers";
import { validateTags } from "./validateTags.js";

/**
 * The comparisons blob index queries support. Comparison is lexicographic on strings, so compare
 * numbers and dates in a fixed-width form (`"0042"`, `"2024-05-01"`).
 */
export type TagOperator = "=" | ">" | ">=" | "<" | "<=";

/** One `"key" op 'value'` condition of a {@link TagQuery}. */
export interface TagCondition {
  /** The tag key (1-128 characters: letters, digits, space and `+ - . : = _ /`). */
  readonly key: string;
  /** The comparison. */
  readonly operator: TagOperator;
  /** The value to compare with (0-256 characters, same characters as keys). */
  readonly value: string;
}

const OPERATORS: ReadonlySet<string> = new Set(["=", ">", ">=", "<", "<="]);
const LOWER: ReadonlySet<string> = new Set([">", ">="]);
const UPPER: ReadonlySet<string> = new Set(["<", "<="]);

/**
 * An immutable blob index tag query. Build one with {@link tagQuery}; every method returns a new
 * query. `toString()` gives the expression: keys in double quotes, values and the container in
 * single quotes, conditions joined with `AND`. The characters tags may contain never need
 * escaping, and the builder refuses any other character, any operator but `= > >= < <=`, and `OR`.
 * @see [Find blobs using tags: Build a query](../../../../apps/docs/guides/find-blobs-by-tags.md#build-a-query)
 */
export class TagQuery {
  /** The conditions, in the order they were added. */
  readonly conditions: readonly TagCondition[];
  /** The container the query is scoped to (`@container`), if any. */
  readonly container: string | undefined;

  /**
   * Prefer {@link tagQuery}. Conditions and container given here are checked like the builder's.
   */
  constructor(conditions: readonly TagCondition[] = [], container?: string) {
    if (!Array.isArray(conditions)) {
      throw invalidArgument("tagQuery", "conditions must be an array of { key, operator, value }");
    }
    const checked: TagCondition[] = [];
    for (const condition of conditions) {
      checked.push(checkCondition(checked, condition, "tagQuery"));
    }
    this.conditions = Object.freeze(checked);
    this.container =
      container === undefined
        ? undefined
        : validateContainerName(container, "tagQuery.inContainer");
    Object.freeze(this);
  }

  /**
   * Starts the query with its first condition.
   *
   * @example
   * ```ts
   * import { tagQuery } from "@blobkit/blobs";
   *
   * tagQuery().where("project", "=", "apollo");
   * ```
   */
  where(key: string, operator: TagOperator, value: string): TagQuery {
    if (this.conditions.length > 0) {
      throw invalidArgument(
        "tagQuery.where",
        "the query already has a condition; add more with and()",
      );
    }
    return this.add(key, operator, value, "tagQuery.where");
  }

  /**
   * Adds a condition that must also hold. On one key you may combine a lower bound (`>`/`>=`)
   * with an upper bound (`<`/`<=`); any other repetition of a key is refused, as the service does.
   *
   * @example
   * ```ts
   * import { tagQuery } from "@blobkit/blobs";
   *
   * tagQuery().where("date", ">=", "2024-01-01").and("date", "<", "2025-01-01");
   * ```
   */
  and(key: string, operator: TagOperator, value: string): TagQuery {
    if (this.conditions.length === 0) {
      throw invalidArgument("tagQuery.and", "start the query with where()");
    }
    return this.add(key, operator, value, "tagQuery.and");
  }

  /**
   * Not supported: blob index queries have no `OR`. Always throws an `InvalidArgument` error that
   * says so; run one query per alternative and merge the results instead.
   *
   * @example
   * ```ts
   * import { tagQuery } from "@blobkit/blobs";
   *
   * tagQuery().where("status", "=", "a").or(); // throws
   * ```
   */
  or(): never {
    throw invalidArgument(
      "tagQuery.or",
      "blob index queries have no OR (only AND); run one query per alternative and merge the results",
    );
  }

  /**
   * Limits the query to one container (`@container = 'name'`). Only for
   * {@link findBlobsByTags} on a service client; allowed once.
   *
   * @example
   * ```ts
   * import { tagQuery } from "@blobkit/blobs";
   *
   * tagQuery().where("project", "=", "apollo").inContainer("reports");
   * ```
   */
  inContainer(name: string): TagQuery {
    if (this.container !== undefined) {
      throw invalidArgument("tagQuery.inContainer", "the query is already limited to a container");
    }
    return new TagQuery(this.conditions, validateContainerName(name, "tagQuery.inContainer"));
  }

  /**
   * The query expression, e.g. `"project" = 'apollo' AND @container = 'reports'`.
   *
   * @example
   * ```ts
   * import { tagQuery } from "@blobkit/blobs";
   *
   * String(tagQuery().where("a", "=", "b")); // "\"a\" = 'b'"
   * ```
   */
  toString(): string {
    if (this.conditions.length === 0) {
      throw invalidArgument("tagQuery", "has no condition; start it with where()");
    }
    const parts = this.conditions.map((c) => `"${c.key}" ${c.operator} '${c.value}'`);
    if (this.container !== undefined) parts.push(`@container = '${this.container}'`);
    return parts.join(" AND ");
  }

  private add(key: string, operator: TagOperator, value: string, field: string): TagQuery {
    checkCondition(this.conditions, { key, operator, value }, field);
    return new TagQuery([...this.conditions, { key, operator, value }], this.container);
  }
}

function checkCondition(
  previous: readonly TagCondition[],
  condition: TagCondition,
  field: string,
): TagCondition {
  const { key, operator, value } = condition ?? {};
  if (typeof key !== "string" || typeof value !== "string") {
    throw invalidArgument(field, "key and value must be strings");
  }
  if (!OPERATORS.has(operator)) {
    throw invalidArgument(
      field,
      `operator ${describeValue(operator)} is not supported; use one of = > >= < <=`,
    );
  }
  validateTags({ [key]: value }, field);
  const same = previous.filter((c) => c.key === key);
  if (same.length > 0) {
    const first = same[0];
    const range =
      same.length === 1 &&
      first !== undefined &&
      ((LOWER.has(first.operator) && UPPER.has(operator)) ||
        (UPPER.has(first.operator) && LOWER.has(operator)));
    if (!range) {
      throw invalidArgument(
        field,
        `key ${JSON.stringify(key)} is already used; a key may appear twice only as a range (one of > >= with one of < <=)`,
      );
    }
  }
  return Object.freeze({ key, operator, value });
}

/**
 * Starts a blob index tag query for {@link findBlobsByTags} and for `whereTags` conditions.
 *
 * @see [Find blobs using tags: Build a query](../../../../apps/docs/guides/find-blobs-by-tags.md#build-a-query)
 *
 * @example
 * ```ts
 * import { tagQuery } from "@blobkit/blobs";
 *
 * const query = tagQuery()
 *   .where("project", "=", "apollo")
 *   .and("status", ">=", "b")
 *   .inContainer("c");
 * query.toString(); // "project" = 'apollo' AND "status" >= 'b' AND @container = 'c'
 * ```
 */
export function tagQuery(): TagQuery {
  return new TagQuery();
}
