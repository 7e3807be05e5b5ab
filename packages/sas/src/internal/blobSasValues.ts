// Builds the SDK's BlobSASSignatureValues from checked input; the SDK does all the signing.
import {
  BlobSASPermissions,
  type BlobSASSignatureValues,
  ContainerSASPermissions,
  SASProtocol,
  type SASQueryParameters,
} from "@azure/storage-blob";
import { invalidArgument } from "@blobkit/auth/kit";
import type { SasIpRange, SasProtocol, SasResponseHeaders } from "../types.js";
import type { ResolvedTarget } from "./target.js";

/** Checked input of a blob, directory or container SAS. */
export interface BlobSasInput {
  target: ResolvedTarget;
  permissions: string | undefined;
  startsOn: Date | undefined;
  expiresOn: Date | undefined;
  protocol: SasProtocol;
  ipRange: SasIpRange | undefined;
  responseHeaders: SasResponseHeaders | undefined;
  identifier?: string | undefined;
}

const HEADER_FIELDS = [
  "cacheControl",
  "contentDisposition",
  "contentEncoding",
  "contentLanguage",
  "contentType",
] as const;

/** The SDK's signature values for a checked input. */
export function blobSasValues(input: BlobSasInput): BlobSASSignatureValues {
  const { target } = input;
  const values: BlobSASSignatureValues = {
    containerName: target.containerName,
    protocol: input.protocol === "https" ? SASProtocol.Https : SASProtocol.HttpsAndHttp,
  };
  if (target.blobName !== undefined) values.blobName = target.blobName;
  if (target.scope === "directory") values.isDirectory = true;
  if (input.permissions !== undefined) {
    values.permissions =
      target.scope === "container"
        ? ContainerSASPermissions.parse(input.permissions)
        : BlobSASPermissions.parse(input.permissions);
  }
  if (input.startsOn) values.startsOn = input.startsOn;
  if (input.expiresOn) values.expiresOn = input.expiresOn;
  if (input.ipRange) values.ipRange = input.ipRange;
  if (input.identifier !== undefined) values.identifier = input.identifier;
  const headers = input.responseHeaders;
  if (headers !== undefined) {
    if (typeof headers !== "object" || headers === null) {
      throw invalidArgument("responseHeaders", "must be an object");
    }
    for (const field of HEADER_FIELDS) {
      const value = headers[field];
      if (value === undefined) continue;
      // An unpaired surrogate would make the SDK's URL encoding throw a URIError.
      if (typeof value !== "string" || /[\r\n]/.test(value) || !value.isWellFormed()) {
        throw invalidArgument(
          `responseHeaders.${field}`,
          "must be a single-line string of valid Unicode",
        );
      }
      values[field] = value;
    }
  }
  return values;
}

/** Runs the SDK's signing and turns its (secret-free) RangeErrors into `InvalidArgument`. */
export function signWithSdk(sign: () => SASQueryParameters): SASQueryParameters {
  try {
    return sign();
  } catch (error) {
    if (error instanceof RangeError || error instanceof TypeError) {
      throw invalidArgument("options", `@azure/storage-blob refused to sign: ${error.message}`);
    }
    throw error;
  }
}
