// The invariant every validator error must meet (an InvalidArgument StorageError that names its
// field), and the tallies the property tests keep of what each validator accepted or rejected,
// including against a recording server to prove that rejected input sends no request.
import { inspect } from "node:util";
import { isStorageError, type StorageError } from "@blobkit/auth";
import type { RecordingServer } from "./recordingServer.ts";

/** Why an error broke the validator invariant, or undefined if it meets it. */
export function invariantViolation(error: unknown): string | undefined {
  if (!isStorageError(error)) {
    return `threw a non-StorageError: ${inspect(error, { depth: 2 })}`;
  }
  if (error.code !== "InvalidArgument") return `threw ${error.code}: ${error.message}`;
  if (typeof error.field !== "string" || error.field === "") {
    return `InvalidArgument without a field: ${error.message}`;
  }
  if (!error.message.includes(error.field)) {
    return `message does not name the field ${JSON.stringify(error.field)}: ${error.message}`;
  }
  return undefined;
}

/** Tally of what a validator did with generated input. */
export interface Tally {
  inputs: number;
  accepted: number;
  rejected: number;
}

export function newTally(): Tally {
  return { inputs: 0, accepted: 0, rejected: 0 };
}

/**
 * Runs a validator on one input: returns normally (accepted) or throws an `InvalidArgument`
 * StorageError that names its field (rejected). Anything else fails the property.
 */
export function judge(tally: Tally, run: () => unknown): "accepted" | "rejected" {
  tally.inputs++;
  try {
    run();
  } catch (error) {
    const violation = invariantViolation(error);
    if (violation) throw new Error(violation);
    tally.rejected++;
    return "rejected";
  }
  tally.accepted++;
  return "accepted";
}

/** {@link judge} for async validators such as connect(). */
export async function judgeAsync(
  tally: Tally,
  run: () => Promise<unknown>,
  /** Other codes an input may legitimately get, e.g. AuthenticationFailed for an expired SAS. */
  alsoAllowed: (error: StorageError) => boolean = () => false,
): Promise<"accepted" | "rejected"> {
  tally.inputs++;
  try {
    await run();
  } catch (error) {
    if (
      isStorageError(error) &&
      alsoAllowed(error) &&
      error.field &&
      error.message.includes(error.field)
    ) {
      tally.rejected++;
      return "rejected";
    }
    const violation = invariantViolation(error);
    if (violation) throw new Error(violation);
    tally.rejected++;
    return "rejected";
  }
  tally.accepted++;
  return "accepted";
}

/**
 * Runs a public function against a {@link RecordingServer} that answers every request with 500:
 * the input is either rejected with an `InvalidArgument` naming its field and NO request
 * ("rejected"), or it passes validation and the server's 500 comes back ("sent").
 */
export async function judgeAgainst(
  server: RecordingServer,
  tally: Tally,
  run: () => unknown,
): Promise<"rejected" | "sent"> {
  const before = server.requests.length;
  tally.inputs++;
  try {
    await run();
  } catch (error) {
    if (isStorageError(error) && error.statusCode === 500 && server.requests.length > before) {
      tally.accepted++;
      return "sent";
    }
    const violation = invariantViolation(error);
    if (violation) throw new Error(violation);
    if (server.requests.length !== before) {
      throw new Error(`an input rejected as invalid reached the network: ${error}`);
    }
    tally.rejected++;
    return "rejected";
  }
  throw new Error("the call succeeded against a server that answers only 500");
}

/** Whether `run` throws (synchronously or not): the input is invalid for that validator. */
export function rejects(run: () => unknown): boolean {
  try {
    run();
    return false;
  } catch {
    return true;
  }
}
