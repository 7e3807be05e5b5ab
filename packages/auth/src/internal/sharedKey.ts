// The Shared Key credential BlobKit signs with: the SDK's own StorageSharedKeyCredential, holding
// its key as a KeyObject instead of a Buffer.
//
// Why: every request signed with Shared Key calls `createHmac("sha256", key)`. Given a Buffer,
// Node first asks whether the key is a KeyObject by throwing and catching an exception
// (`isKeyObject` in node:internal/crypto/keys), and an exception captures a stack trace. Under
// the SDK's deep async call chains that cost about 60 µs of CPU per request (1 KiB uploads to a
// loopback stub: 266-282 µs per request with a Buffer key, 210-218 µs with a KeyObject). A
// KeyObject also keeps the key's bytes out of `util.inspect` and `console.log` of the credential.
//
// Every reader of the field in @azure/storage-blob 12.x passes it to createHmac, which takes
// either form; the swap is checked by signing once both ways, and skipped if the SDK changes.
import { createSecretKey } from "node:crypto";
import { StorageSharedKeyCredential } from "@azure/storage-blob";

interface KeyHolder {
  accountKey?: unknown;
}

/**
 * Makes `credential` sign with a KeyObject holding its key; returns it. Leaves it as it is when
 * its key is not a Buffer or when signing would differ (a future SDK).
 */
export function withKeyObject(credential: StorageSharedKeyCredential): StorageSharedKeyCredential {
  const holder = credential as unknown as KeyHolder;
  const key = holder.accountKey;
  if (!Buffer.isBuffer(key)) return credential;
  const probe = "blobkit key check";
  const expected = credential.computeHMACSHA256(probe);
  try {
    holder.accountKey = createSecretKey(key);
    if (credential.computeHMACSHA256(probe) === expected) return credential;
  } catch {
    // fall through: keep the Buffer
  }
  holder.accountKey = key;
  return credential;
}

/** A Shared Key credential for `accountName` and its base64 `accountKey`, signing with a KeyObject. */
export function sharedKeyCredential(
  accountName: string,
  accountKey: string,
): StorageSharedKeyCredential {
  return withKeyObject(new StorageSharedKeyCredential(accountName, accountKey));
}
