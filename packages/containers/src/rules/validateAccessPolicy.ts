// Container access policy rules (public access level and stored access policies), checked before
// any request. The SAS package builds on the stored policies.
import { describeValue, invalidArgument } from "@blobkit/auth/kit";
import { hasControlCharacters } from "../internal/validateOptions.js";
import type { PublicAccessLevel } from "../types.js";

/** Most stored access policies a container can have. */
export const MAX_STORED_ACCESS_POLICIES = 5;

/** Longest stored access policy id. */
export const MAX_STORED_POLICY_ID_LENGTH = 64;

/**
 * Permissions a container's stored access policy may grant, in the order Azure expects: read,
 * add, create, write, delete, delete version, permanent delete, list, tags, filter by tags, move,
 * execute, set immutability policy.
 */
export const CONTAINER_PERMISSIONS = "racwdxyltfmei";

/**
 * A stored access policy: a named set of permissions and validity times that service SAS tokens
 * can refer to by `id`, so they can be revoked by changing or removing the policy.
 */
export interface StoredAccessPolicy {
  /** Unique id, 1-64 characters; a SAS refers to it as `si`. */
  id: string;
  /**
   * Letters from `racwdxyltfmei`, each at most once (BlobKit puts them in Azure's order). Leave out
   * to let each SAS carry its own permissions.
   */
  permissions?: string;
  /** When SAS tokens under this policy start to be valid. */
  startsOn?: Date;
  /** When they stop being valid; must be after `startsOn`. */
  expiresOn?: Date;
}

/** A container's public access level and stored access policies, set and read together. */
export interface ContainerAccessPolicy {
  /** Who may read without authorization. */
  publicAccess: PublicAccessLevel;
  /** Up to 5 stored access policies; setting replaces them all, so `[]` removes them. */
  policies: StoredAccessPolicy[];
}

const PUBLIC_ACCESS = new Set<string>(["none", "blob", "container"]);

function checkDate(value: unknown, field: string): Date | undefined {
  if (value === undefined) return undefined;
  if (!(value instanceof Date) || Number.isNaN(value.getTime())) {
    throw invalidArgument(field, "must be a valid Date");
  }
  return value;
}

/**
 * Checks a container access policy before any request and throws an `InvalidArgument`
 * {@link @blobkit/auth!StorageError} naming the field and the rule: public access is `"none"`,
 * `"blob"` or `"container"`; at most 5 stored policies; ids 1-64 characters and unique;
 * permissions from `racwdxyltfmei` without repeats; `startsOn` before `expiresOn`. Returns a copy
 * with permissions in Azure's order.
 *
 * @see [Manage container properties and metadata: Access policy](../../../../apps/docs/guides/container-properties-metadata.md#access-policy-public-access-and-stored-access-policies)
 *
 * @example
 * ```ts
 * import { validateAccessPolicy } from "@blobkit/containers";
 *
 * validateAccessPolicy({
 *   publicAccess: "none",
 *   policies: [{ id: "read-only", permissions: "rl", expiresOn: new Date("2030-01-01") }],
 * }); // ok
 * validateAccessPolicy({ publicAccess: "none", policies: [{ id: "p", permissions: "rz" }] });
 * // throws: Invalid policies[0].permissions: 'z' is not a container permission ...
 * ```
 */
export function validateAccessPolicy(
  policy: unknown,
  field = "access policy",
): ContainerAccessPolicy {
  if (typeof policy !== "object" || policy === null || Array.isArray(policy)) {
    throw invalidArgument(field, "must be an object with publicAccess and policies");
  }
  const { publicAccess, policies } = policy as Partial<ContainerAccessPolicy>;
  if (typeof publicAccess !== "string" || !PUBLIC_ACCESS.has(publicAccess)) {
    throw invalidArgument(
      "publicAccess",
      `must be "none", "blob" or "container", got ${describeValue(publicAccess)}; setting the access policy always sets it, so pass the current level to keep it`,
    );
  }
  if (!Array.isArray(policies)) {
    throw invalidArgument(
      "policies",
      "must be an array of stored access policies ([] removes them all)",
    );
  }
  if (policies.length > MAX_STORED_ACCESS_POLICIES) {
    throw invalidArgument(
      "policies",
      `has ${policies.length} stored access policies; a container can have at most ${MAX_STORED_ACCESS_POLICIES}`,
    );
  }
  const ids = new Set<string>();
  const checked = policies.map((entry: unknown, index): StoredAccessPolicy => {
    const where = `policies[${index}]`;
    if (typeof entry !== "object" || entry === null) {
      throw invalidArgument(where, "must be an object with an id");
    }
    const { id, permissions, startsOn, expiresOn } = entry as Partial<StoredAccessPolicy>;
    if (typeof id !== "string" || id.length === 0 || id.length > MAX_STORED_POLICY_ID_LENGTH) {
      throw invalidArgument(
        `${where}.id`,
        `must be a string of 1-${MAX_STORED_POLICY_ID_LENGTH} characters, got ${
          typeof id === "string" ? `${id.length} characters` : typeof id
        }`,
      );
    }
    if (hasControlCharacters(id) || id !== id.trim()) {
      throw invalidArgument(
        `${where}.id`,
        "must not contain control characters or start or end with spaces",
      );
    }
    if (ids.has(id)) {
      throw invalidArgument(`${where}.id`, `${JSON.stringify(id)} is used by another policy`);
    }
    ids.add(id);
    let ordered: string | undefined;
    if (permissions !== undefined) {
      if (typeof permissions !== "string" || permissions.length === 0) {
        throw invalidArgument(
          `${where}.permissions`,
          "must be a non-empty string of permission letters; leave it out to let each SAS carry its own",
        );
      }
      const seen = new Set<string>();
      for (const letter of permissions) {
        if (!CONTAINER_PERMISSIONS.includes(letter)) {
          throw invalidArgument(
            `${where}.permissions`,
            `${JSON.stringify(letter)} is not a container permission; use letters from "${CONTAINER_PERMISSIONS}"`,
          );
        }
        if (seen.has(letter)) {
          throw invalidArgument(`${where}.permissions`, `${JSON.stringify(letter)} appears twice`);
        }
        seen.add(letter);
      }
      ordered = [...CONTAINER_PERMISSIONS].filter((letter) => seen.has(letter)).join("");
    }
    const start = checkDate(startsOn, `${where}.startsOn`);
    const expiry = checkDate(expiresOn, `${where}.expiresOn`);
    if (start && expiry && start.getTime() >= expiry.getTime()) {
      throw invalidArgument(
        `${where}.startsOn`,
        `must be before expiresOn (${start.toISOString()} is not before ${expiry.toISOString()})`,
      );
    }
    return {
      id,
      ...(ordered ? { permissions: ordered } : {}),
      ...(start ? { startsOn: start } : {}),
      ...(expiry ? { expiresOn: expiry } : {}),
    };
  });
  return { publicAccess: publicAccess as PublicAccessLevel, policies: checked };
}
