// The review of a SAS: what makes it risky or broken (expired, long-lived, signed with the account
// key, account-wide, HTTP allowed, broad permissions, no IP restriction), as findings with a
// severity and what to do about each.
import { SAS_DEFAULTS } from "../SAS_DEFAULTS.js";
import type {
  SasDescription,
  SasWarning,
  SasWarningCode,
  SasWarningSeverity,
} from "../SasDescription.js";
import { formatDuration, isLoopbackHost } from "./validity.js";

/** Letters that let a holder destroy or lock data, or change more than content. */
const RISKY: Record<string, string> = {
  d: "delete",
  x: "delete versions",
  y: "delete permanently",
  i: "set immutability policies",
  m: "move",
  e: "execute",
  o: "change owners",
  p: "change ACLs",
};

/** The review findings of a described SAS at `now`, most serious first. */
export function reviewSas(d: Omit<SasDescription, "warnings">, now: Date): SasWarning[] {
  const warnings: SasWarning[] = [];
  const add = (code: SasWarningCode, severity: SasWarningSeverity, message: string) =>
    warnings.push({ code, severity, message });
  if (d.expiresOn && d.expired) {
    add(
      "expired",
      "high",
      `It expired ${formatDuration(now.getTime() - d.expiresOn.getTime())} ago (${d.expiresOn.toISOString()}); it no longer works. Create a new one.`,
    );
  }
  if (d.startsOn && d.startsOn.getTime() > now.getTime()) {
    add(
      "not-yet-valid",
      "medium",
      `It becomes valid only in ${formatDuration(d.startsOn.getTime() - now.getTime())} (${d.startsOn.toISOString()}); requests before then fail with 403.`,
    );
  }
  if (!d.expiresOn) {
    add(
      "no-expiry",
      d.storedPolicyId ? "medium" : "high",
      d.storedPolicyId
        ? `The token has no expiry of its own: stored access policy '${d.storedPolicyId}' must define one. Check that the policy sets an expiry.`
        : "The token has no expiry and no stored access policy; Azure refuses it.",
    );
  } else {
    const from = d.startsOn ?? now;
    const lifetime = d.expiresOn.getTime() - from.getTime();
    if (lifetime > SAS_DEFAULTS.maxLifetimeMs) {
      add(
        "long-lived",
        "high",
        `It is valid for ${formatDuration(lifetime)}. A leaked long-lived SAS stays usable for all that time; prefer SAS of minutes or hours created on demand${d.kind === "service" ? ", or bind it to a stored access policy you can revoke" : ""}.`,
      );
    }
    const keyExpiresOn = d.signedIdentity?.keyExpiresOn;
    if (keyExpiresOn && keyExpiresOn.getTime() < d.expiresOn.getTime()) {
      add(
        "expires-after-key",
        "medium",
        `Its delegation key expires at ${keyExpiresOn.toISOString()}, before the SAS (${d.expiresOn.toISOString()}): it stops working when the key does.`,
      );
    }
  }
  if (d.kind === "account") {
    const others = (d.services ?? []).filter((service) => service !== "blob");
    add(
      "account-wide",
      "medium",
      `An account SAS reaches every container of the account${d.resourceTypes?.includes("service") ? ", including listing containers" : ""}${others.length ? ` and also the ${others.join(", ")} service${others.length > 1 ? "s" : ""}` : ""}. Prefer a SAS for one container or blob.`,
    );
  }
  if (d.kind === "account" || d.kind === "service") {
    add(
      "account-key-signed",
      d.storedPolicyId ? "low" : "medium",
      d.storedPolicyId
        ? `Signed with the account key and bound to stored access policy '${d.storedPolicyId}': remove or change the policy to revoke it.`
        : "Signed with the account key: it can be revoked only by rotating that key. Prefer a user delegation SAS (Microsoft Entra ID), or bind a service SAS to a stored access policy.",
    );
  }
  if (!d.httpsOnly) {
    const local = d.location ? isLoopbackHost(new URL(d.location.endpoint).hostname) : false;
    add(
      "http-allowed",
      local ? "low" : "medium",
      local
        ? "It also works over plain HTTP, which is acceptable only for an emulator on this machine; use HTTPS-only SAS (spr=https) anywhere else."
        : "It also works over plain HTTP, where the token and the data travel unencrypted. Use HTTPS-only SAS (spr=https) outside a local emulator.",
    );
  }
  const risky = [...d.permissions.letters]
    .filter((letter) => Object.hasOwn(RISKY, letter) && !(d.kind === "account" && letter === "p"))
    .map((letter) => `${RISKY[letter]} (${letter})`);
  const writes = /[wac]/.test(d.permissions.letters);
  if (risky.length > 0 || (writes && d.permissions.letters.length >= 5)) {
    add(
      "broad-permissions",
      "medium",
      `It grants ${risky.length > 0 ? risky.join(", ") : `${d.permissions.letters.length} permissions including writes`}. Grant only what the holder needs, e.g. read (r) for a download link.`,
    );
  }
  if (!d.ipRange) {
    add(
      "no-ip-restriction",
      "low",
      "Anyone who obtains it can use it from any address. When the callers' addresses are known, restrict it with an IP range.",
    );
  }
  const order: Record<SasWarningSeverity, number> = { high: 0, medium: 1, low: 2 };
  return warnings.sort((a, b) => order[a.severity] - order[b.severity]);
}
