// Lease rules, checked before any request: durations, lease ids, break periods, targets.
import { checkInteger, invalidArgument } from "@blobkit/auth/kit";
import type { LeaseDuration, LeaseTarget } from "../types.js";

/** Shortest and longest fixed lease durations Azure accepts, in seconds. */
export const MIN_LEASE_SECONDS = 15;
export const MAX_LEASE_SECONDS = 60;
/** Longest break period Azure accepts, in seconds. */
export const MAX_BREAK_PERIOD_SECONDS = 60;

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function show(value: unknown): string {
  if (typeof value === "string")
    return JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}...` : value);
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return value === null ? "null" : typeof value;
}

/**
 * A lease duration. Not the kit's checkInteger: its message cannot offer `"infinite"`, and -1 (the
 * REST API's infinite) gets a message of its own.
 */
export function validateLeaseDuration(value: unknown, field = "durationSeconds"): LeaseDuration {
  if (value === "infinite") return value;
  if (value === -1) {
    throw invalidArgument(field, `use "infinite" for a lease that never expires, not -1`);
  }
  if (
    typeof value !== "number" ||
    !Number.isInteger(value) ||
    value < MIN_LEASE_SECONDS ||
    value > MAX_LEASE_SECONDS
  ) {
    throw invalidArgument(
      field,
      `must be a whole number of seconds from ${MIN_LEASE_SECONDS} to ${MAX_LEASE_SECONDS}, or "infinite"; got ${show(value)}`,
    );
  }
  return value;
}

export function validateLeaseId(value: unknown, field = "leaseId"): string {
  if (typeof value !== "string" || !GUID.test(value)) {
    throw invalidArgument(
      field,
      `must be a GUID such as "3f2504e0-4f89-11d3-9a0c-0305e82c3301" (crypto.randomUUID() makes one); got ${show(value)}`,
    );
  }
  return value;
}

/** A break period in seconds, or `undefined` (the service's default) when none is given. */
export function validateBreakPeriod(
  value: unknown,
  field = "breakPeriodSeconds",
): number | undefined {
  return checkInteger(field, value, { min: 0, max: MAX_BREAK_PERIOD_SECONDS, unit: "seconds" });
}

export function validateTarget(value: unknown, field = "target"): LeaseTarget {
  const candidate = value as Partial<LeaseTarget> | null | undefined;
  if (
    typeof candidate !== "object" ||
    candidate === null ||
    typeof candidate.getBlobLeaseClient !== "function" ||
    typeof candidate.containerName !== "string"
  ) {
    throw invalidArgument(
      field,
      `must be a BlobClient or ContainerClient from @azure/storage-blob; got ${show(value)}`,
    );
  }
  return value as LeaseTarget;
}

/** A duration in milliseconds: finite and positive, or Infinity when `allowInfinity`. */
export function validateMilliseconds(
  value: unknown,
  field: string,
  { allowInfinity = false, allowZero = false } = {},
): number {
  const ok =
    typeof value === "number" &&
    !Number.isNaN(value) &&
    (allowZero ? value >= 0 : value > 0) &&
    (allowInfinity || Number.isFinite(value));
  if (!ok) {
    throw invalidArgument(
      field,
      `must be a ${allowZero ? "non-negative" : "positive"}${allowInfinity ? "" : ", finite"} number of milliseconds; got ${show(value)}`,
    );
  }
  return value as number;
}
