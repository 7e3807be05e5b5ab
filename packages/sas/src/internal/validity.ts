// When a SAS is valid, over which protocol and from where: the safe defaults and the checks that
// refuse unsafe requests before anything is signed.
import { describeValue, invalidArgument } from "@blobkit/auth/kit";
import { SAS_DEFAULTS } from "../SAS_DEFAULTS.js";
import type { SasIpRange, SasProtocol } from "../types.js";

/** The SDK writes SAS times in whole seconds; BlobKit reports the times as written. */
export function wholeSeconds(date: Date): Date {
  return new Date(Math.floor(date.getTime() / 1000) * 1000);
}

/** Checks an optional Date option. */
export function checkDate(value: unknown, field: string): Date | undefined {
  if (value === undefined) return undefined;
  if (!(value instanceof Date) || Number.isNaN(value.getTime())) {
    throw invalidArgument(field, "must be a valid Date");
  }
  return value;
}

/** Human form of a duration, e.g. `"2 days 3 hours"`, `"59 minutes"`. */
export function formatDuration(ms: number): string {
  // Seconds matter only for short spans: 59 minutes 59.9 seconds reads as "1 hour".
  const unit = Math.abs(ms) >= 600_000 ? 60_000 : 1_000;
  const abs = Math.round(Math.abs(ms) / unit) * unit;
  const units: Array<[string, number]> = [
    ["day", 86_400_000],
    ["hour", 3_600_000],
    ["minute", 60_000],
    ["second", 1_000],
  ];
  const parts: string[] = [];
  let rest = abs;
  for (const [name, size] of units) {
    const count = Math.floor(rest / size);
    if (count > 0) {
      parts.push(`${count} ${name}${count === 1 ? "" : "s"}`);
      rest -= count * size;
    }
    if (parts.length === 2) break;
  }
  return parts.length === 0 ? "0 seconds" : parts.join(" ");
}

/** The rules {@link resolveValidity} applies, which depend on the kind of SAS. */
export interface ValidityRules {
  /** When the SAS is created. */
  now: Date;
  /** Apply the defaults (false for a SAS bound to a stored access policy). */
  defaults: boolean;
  /** Allow more than 7 days (service and account SAS only). */
  allowLongLived: boolean;
  /** Hard limit of the expiry, whatever `allowLongLived` says (delegation key lifetime). */
  hardLimit?: { expiresOn: Date; reason: string };
}

/** Resolves and checks a SAS's start and expiry; returns them in whole seconds. */
export function resolveValidity(
  requested: { startsOn: Date | undefined; expiresOn: Date | undefined },
  rules: ValidityRules,
): {
  startsOn: Date | undefined;
  expiresOn: Date | undefined;
} {
  const { now } = rules;
  const given = {
    startsOn: checkDate(requested.startsOn, "startsOn"),
    expiresOn: checkDate(requested.expiresOn, "expiresOn"),
  };
  const startsOn =
    given.startsOn ??
    (rules.defaults ? new Date(now.getTime() - SAS_DEFAULTS.startSkewMs) : undefined);
  // The default lifetime counts from now, or from a start the caller put in the future.
  const from = Math.max(now.getTime(), given.startsOn?.getTime() ?? 0);
  const expiresOn =
    given.expiresOn ?? (rules.defaults ? new Date(from + SAS_DEFAULTS.lifetimeMs) : undefined);
  if (expiresOn) {
    if (expiresOn.getTime() <= now.getTime()) {
      throw invalidArgument(
        "expiresOn",
        `${expiresOn.toISOString()} is not in the future (now is ${now.toISOString()}); such a SAS would never work`,
      );
    }
    if (startsOn && startsOn.getTime() >= expiresOn.getTime()) {
      throw invalidArgument(
        "startsOn",
        `${startsOn.toISOString()} is not before expiresOn ${expiresOn.toISOString()}`,
      );
    }
    const lifetime = expiresOn.getTime() - now.getTime();
    if (rules.hardLimit && expiresOn.getTime() > rules.hardLimit.expiresOn.getTime()) {
      throw invalidArgument(
        "expiresOn",
        `is ${formatDuration(lifetime)} away; ${rules.hardLimit.reason} (latest allowed: ${rules.hardLimit.expiresOn.toISOString()})`,
      );
    }
    if (lifetime > SAS_DEFAULTS.maxLifetimeMs && !rules.allowLongLived) {
      throw invalidArgument(
        "expiresOn",
        `is ${formatDuration(lifetime)} away. BlobKit refuses a SAS valid for more than 7 days unless you pass allowLongLived: true. Prefer short-lived SAS created on demand, or bind the SAS to a stored access policy so it can be revoked`,
      );
    }
  }
  return {
    startsOn: startsOn ? wholeSeconds(startsOn) : undefined,
    expiresOn: expiresOn ? wholeSeconds(expiresOn) : undefined,
  };
}

/** Whether a host name is this machine (where plain HTTP is acceptable for an emulator). */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, "");
  return host === "localhost" || host === "::1" || /^127(\.\d{1,3}){3}$/.test(host);
}

/**
 * HTTPS only, unless the caller opts in to HTTP or the endpoint is an emulator on loopback served
 * over plain HTTP (where an HTTPS-only SAS could not be used at all).
 */
export function resolveProtocol(endpoint: string, allowHttp: boolean | undefined): SasProtocol {
  if (allowHttp === true) return "https,http";
  const url = new URL(endpoint);
  if (url.protocol === "http:") {
    if (isLoopbackHost(url.hostname)) return "https,http";
    throw invalidArgument(
      "allowHttp",
      `the endpoint ${url.host} uses plain http, and BlobKit makes HTTPS-only SAS by default. Use an https endpoint, or pass allowHttp: true if you accept that the SAS can be read on the way`,
    );
  }
  return "https";
}

function ipv4(value: unknown, field: string): number {
  if (typeof value !== "string" || !/^\d{1,3}(\.\d{1,3}){3}$/.test(value)) {
    throw invalidArgument(
      field,
      `${describeValue(value)} is not an IPv4 address; SAS IP ranges accept IPv4 only, e.g. "203.0.113.7"`,
    );
  }
  const parts = value.split(".").map(Number);
  if (parts.some((part) => part > 255)) {
    throw invalidArgument(field, `${value} is not an IPv4 address (each part is 0-255)`);
  }
  return parts.reduce((sum, part) => sum * 256 + part, 0);
}

/** Checks an IPv4 address or range. */
export function checkIpRange(range: SasIpRange | undefined): SasIpRange | undefined {
  if (range === undefined) return undefined;
  if (typeof range !== "object" || range === null) {
    throw invalidArgument("ipRange", 'must be an object such as { start: "203.0.113.0" }');
  }
  const start = ipv4(range.start, "ipRange.start");
  if (range.end === undefined) return { start: range.start };
  const end = ipv4(range.end, "ipRange.end");
  if (end < start) {
    throw invalidArgument("ipRange", `end ${range.end} comes before start ${range.start}`);
  }
  return { start: range.start, end: range.end };
}

/**
 * Azure accepts a delegation key expiring within 7 days of *its* clock; keep a margin for a local
 * clock that runs ahead.
 */
const DELEGATION_KEY_MARGIN_MS = 5 * 60_000;

/** The latest expiry of a delegation key (and so of a user delegation SAS) requested at `now`. */
export function latestDelegationExpiry(now: Date): Date {
  return wholeSeconds(
    new Date(now.getTime() + SAS_DEFAULTS.maxLifetimeMs - DELEGATION_KEY_MARGIN_MS),
  );
}
