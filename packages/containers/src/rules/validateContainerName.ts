// Container name rules, checked before any request.
import { invalidArgument } from "@blobkit/auth/kit";

/** Names Azure reserves for special containers; valid despite the `$`. */
const SPECIAL_CONTAINERS = new Set(["$root", "$web", "$logs"]);

/**
 * Checks a container name against Azure's rules and throws an `InvalidArgument`
 * {@link @blobkit/auth!StorageError} that says what is wrong: 3-63 characters; lowercase letters,
 * digits and single hyphens; a letter or digit at both ends. `$root`, `$web` and `$logs` are allowed.
 *
 * @see [Create a container: Check a name before sending it](../../../../apps/docs/guides/create-container.md#check-a-name-before-sending-it)
 *
 * @example
 * ```ts
 * import { validateContainerName } from "@blobkit/containers";
 *
 * validateContainerName("reports-2024"); // ok
 * validateContainerName("Reports");      // throws: must be lowercase ...
 * ```
 */
export function validateContainerName(name: unknown, field = "container name"): string {
  if (typeof name !== "string") {
    throw invalidArgument(field, `must be a string, got ${name === null ? "null" : typeof name}`);
  }
  if (SPECIAL_CONTAINERS.has(name)) return name;
  const shown = JSON.stringify(name.length > 70 ? `${name.slice(0, 70)}...` : name);
  if (name.length < 3 || name.length > 63) {
    throw invalidArgument(field, `${shown} must be 3-63 characters long, got ${name.length}`);
  }
  const bad = name.match(/[^a-z0-9-]/);
  if (bad) {
    const hint = /[A-Z]/.test(bad[0]) ? " (container names must be lowercase)" : "";
    throw invalidArgument(
      field,
      `${shown} contains ${JSON.stringify(bad[0])}; only lowercase letters, digits and hyphens are allowed${hint}`,
    );
  }
  if (!/^[a-z0-9]/.test(name) || !/[a-z0-9]$/.test(name)) {
    throw invalidArgument(field, `${shown} must start and end with a letter or digit`);
  }
  if (name.includes("--")) {
    throw invalidArgument(field, `${shown} must not contain consecutive hyphens`);
  }
  return name;
}
