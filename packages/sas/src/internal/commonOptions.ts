// The options every SAS-creating function shares (SasCommonOptions): checked and resolved the same
// way for a user delegation, service or account SAS, before anything is signed.
import type { OperationOptions } from "@blobkit/auth";
import { invalidArgument, throwIfAborted } from "@blobkit/auth/kit";
import type { SasCommonOptions, SasIpRange, SasProtocol } from "../types.js";
import { checkIpRange, resolveProtocol, resolveValidity, type ValidityRules } from "./validity.js";

/** When, over which protocol and from where a SAS is valid, as it will be signed. */
export interface ResolvedCommonOptions {
  startsOn: Date | undefined;
  expiresOn: Date | undefined;
  protocol: SasProtocol;
  ipRange: SasIpRange | undefined;
}

/**
 * Refuses options that are not an object (`example` shows the least a caller must pass) and a
 * signal that has already fired.
 */
export function checkSasOptions(
  options: OperationOptions,
  operation: string,
  example: string,
): void {
  if (typeof options !== "object" || options === null) {
    throw invalidArgument("options", `are required, ${example}`);
  }
  throwIfAborted(options.signal, operation);
}

/** Resolves start, expiry, protocol and IP range for a SAS on the service at `endpoint`. */
export function resolveCommonOptions(
  options: Pick<SasCommonOptions, "startsOn" | "expiresOn" | "allowHttp" | "ipRange">,
  endpoint: string,
  rules: ValidityRules,
): ResolvedCommonOptions {
  const { startsOn, expiresOn } = resolveValidity(
    { startsOn: options.startsOn, expiresOn: options.expiresOn },
    rules,
  );
  return {
    startsOn,
    expiresOn,
    protocol: resolveProtocol(endpoint, options.allowHttp),
    ipRange: checkIpRange(options.ipRange),
  };
}
