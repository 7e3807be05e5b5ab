// SAS permission letters: which ones each resource accepts, their names, validation of what
// callers ask for, and the words of a parsed SAS's letters. The SDK's order is kept so the `sp`
// field is canonical.
import { describeValue, invalidArgument } from "@blobkit/auth/kit";
import type { SasPermissionsDescription } from "../SasDescription.js";
import type { AccountSasResourceType, SasPermission, SasPermissionsInput } from "../types.js";

/** What a permission set is checked against. */
export type PermissionScope = "blob" | "directory" | "container" | "account";

/** Letters each scope accepts when BlobKit creates a SAS, in the SDK's canonical order. */
const ALLOWED: Record<PermissionScope, string> = {
  blob: "racwdxtmeiy",
  directory: "racwdxtmeiy",
  container: "racwdxltmeiyf",
  // Account SAS for the blob service: `u` (update) and `p` (process) apply to queues and tables.
  account: "rwdxftlaciy",
};

const SERVICE_NAMES: Record<string, SasPermission> = {
  r: "read",
  a: "add",
  c: "create",
  w: "write",
  d: "delete",
  x: "deleteVersion",
  y: "permanentDelete",
  l: "list",
  t: "tag",
  f: "filterByTags",
  m: "move",
  e: "execute",
  i: "setImmutabilityPolicy",
  o: "changeOwner",
  p: "changePermissions",
};

const ACCOUNT_NAMES: Record<string, SasPermission> = {
  r: "read",
  w: "write",
  d: "delete",
  x: "deleteVersion",
  y: "permanentDelete",
  l: "list",
  a: "add",
  c: "create",
  u: "update",
  p: "process",
  t: "tag",
  f: "filterByTags",
  i: "setImmutabilityPolicy",
};

const LETTER_OF: Record<SasPermission, string> = {
  read: "r",
  add: "a",
  create: "c",
  write: "w",
  delete: "d",
  deleteVersion: "x",
  permanentDelete: "y",
  list: "l",
  tag: "t",
  filterByTags: "f",
  move: "m",
  execute: "e",
  setImmutabilityPolicy: "i",
  changeOwner: "o",
  changePermissions: "p",
  update: "u",
  process: "p",
};

/** The name of a permission letter, for a SAS of the given kind. */
export function permissionName(letter: string, account: boolean): SasPermission | undefined {
  return Object.hasOwn(account ? ACCOUNT_NAMES : SERVICE_NAMES, letter)
    ? (account ? ACCOUNT_NAMES : SERVICE_NAMES)[letter]
    : undefined;
}

/** The description of a SAS's `sp` field: its permissions in words, and letters nobody knows. */
export function describePermissions(letters: string, account: boolean): SasPermissionsDescription {
  const names: SasPermission[] = [];
  const unknown: string[] = [];
  for (const letter of letters) {
    const name = permissionName(letter, account);
    if (name && !names.includes(name)) names.push(name);
    else if (!name) unknown.push(letter);
  }
  return { letters, names, unknown };
}

/**
 * The letters of permissions or resource types given as letters (`"rl"`) or as words
 * (`["read", "list"]`), each word turned into its letter (or refused) by `letterOf`.
 */
function lettersOf(
  input: unknown,
  field: string,
  words: string,
  letterOf: (word: unknown) => string,
): string[] {
  if (typeof input === "string") return [...input];
  if (Array.isArray(input)) return input.map((word: unknown) => letterOf(word));
  throw invalidArgument(field, `must be a string of letters or an array of ${words}`);
}

function allowedList(scope: PermissionScope): string {
  return [...ALLOWED[scope]]
    .map((letter) => `${letter} (${permissionName(letter, scope === "account")})`)
    .join(", ");
}

const SCOPE_NAME: Record<PermissionScope, string> = {
  blob: "a blob SAS",
  directory: "a directory SAS",
  container: "a container SAS",
  account: "an account SAS for the blob service",
};

/**
 * Checks the permissions a caller asked for and returns Azure's letters in canonical order.
 * Throws `InvalidArgument` for an empty set, an unknown letter or word, or one the scope rejects.
 */
export function normalizePermissions(
  input: SasPermissionsInput | undefined,
  scope: PermissionScope,
  field = "permissions",
): string {
  if (input === undefined || input === null) {
    throw invalidArgument(
      field,
      `is required: name the permissions to grant, e.g. "r" or ["read"]. BlobKit never grants all permissions by default. Valid for ${SCOPE_NAME[scope]}: ${allowedList(scope)}`,
    );
  }
  const letters = lettersOf(input, field, "permission names", (word) => {
    if (typeof word !== "string" || !Object.hasOwn(LETTER_OF, word)) {
      throw invalidArgument(
        field,
        `${describeValue(word)} is not a permission name; use words such as "read", "write", "list" or Azure's letters`,
      );
    }
    // `p` is "process" in an account SAS and "changePermissions" elsewhere: check the word.
    const accountOnly = word === "process" || word === "update";
    const serviceOnly = word === "changePermissions" || word === "changeOwner";
    if ((accountOnly && scope !== "account") || (serviceOnly && scope === "account")) {
      throw invalidArgument(
        field,
        `"${word}" is not valid for ${SCOPE_NAME[scope]}. Valid: ${allowedList(scope)}`,
      );
    }
    return LETTER_OF[word as SasPermission];
  });
  if (letters.length === 0) {
    throw invalidArgument(
      field,
      `is empty: name at least one permission, e.g. "r" for read. Valid for ${SCOPE_NAME[scope]}: ${allowedList(scope)}`,
    );
  }
  const allowed = ALLOWED[scope];
  for (const letter of letters) {
    if (!allowed.includes(letter)) {
      const name = permissionName(letter, scope === "account");
      const what = name ? `'${letter}' (${name})` : `'${letter}'`;
      const hint =
        letter === "l" && (scope === "blob" || scope === "directory")
          ? " To list blobs, create a container SAS with 'l'."
          : "";
      throw invalidArgument(
        field,
        `${what} is not valid for ${SCOPE_NAME[scope]}. Valid: ${allowedList(scope)}.${hint}`,
      );
    }
  }
  return [...allowed].filter((letter) => letters.includes(letter)).join("");
}

/** Letters of resource types in an account SAS. */
const RESOURCE_TYPE_LETTER: Record<AccountSasResourceType, string> = {
  service: "s",
  container: "c",
  object: "o",
};

/** Checks account SAS resource types (`"sco"` or words) and returns them in canonical order. */
export function normalizeResourceTypes(
  input: string | readonly AccountSasResourceType[] | undefined,
  field = "resourceTypes",
): string {
  const valid = `s (service: list containers, account properties), c (container: create, delete, list blobs), o (object: blobs)`;
  if (input === undefined || input === null) {
    throw invalidArgument(field, `is required; choose from ${valid}`);
  }
  const letters = lettersOf(input, field, "names", (word) => {
    if (typeof word !== "string" || !Object.hasOwn(RESOURCE_TYPE_LETTER, word)) {
      throw invalidArgument(
        field,
        `${describeValue(word)} is not one of service, container, object`,
      );
    }
    return RESOURCE_TYPE_LETTER[word as AccountSasResourceType];
  });
  if (letters.length === 0) throw invalidArgument(field, `is empty; choose from ${valid}`);
  for (const letter of letters) {
    if (!"sco".includes(letter)) {
      throw invalidArgument(field, `'${letter}' is not a resource type; choose from ${valid}`);
    }
  }
  return [..."sco"].filter((letter) => letters.includes(letter)).join("");
}
