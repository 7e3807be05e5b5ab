// Where a SAS URL points: endpoint, account, container and blob, read from its host and path for
// both Azure's host-style URLs and an emulator's path-style ones.
import type { SasLocation } from "../SasDescription.js";
import { isLoopbackHost } from "./validity.js";

/** A path segment decoded, or as written when it is not valid percent-encoding. */
function decode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/** Reads the location of a SAS URL. */
export function locateSas(url: URL): SasLocation {
  const segments = url.pathname.replace(/^\//, "").split("/");
  const host = url.hostname.replace(/^\[|\]$/g, "");
  // Emulators and IP addresses put the account in the path: http://127.0.0.1:10000/account/...
  const pathStyle = isLoopbackHost(host) || /^[\d.]+$/.test(host) || host.includes(":");
  let accountName: string | undefined;
  let rest = segments;
  let endpoint = url.origin;
  if (pathStyle) {
    accountName = segments[0] ? decode(segments[0]) : undefined;
    rest = segments.slice(1);
    if (accountName) endpoint = `${url.origin}/${segments[0]}`;
  } else if (/\.blob\./.test(host)) {
    accountName = host.split(".")[0];
  }
  const container = rest[0] ? decode(rest[0]) : undefined;
  const blobPart = rest.slice(1).join("/");
  return {
    endpoint,
    accountName,
    container,
    blob: blobPart ? decode(blobPart) : undefined,
  };
}
