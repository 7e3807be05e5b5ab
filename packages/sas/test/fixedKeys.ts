// Offline signing for tests that need no server: a client with a fixed account key and a signer
// with a fixed user delegation key, for one made-up account.
import {
  AnonymousCredential,
  BlobServiceClient,
  StorageSharedKeyCredential,
  type UserDelegationKey,
} from "@azure/storage-blob";
import type { UserDelegationSigner } from "../src/index.js";

export const ACCOUNT = "blobkitdemo";
const ENDPOINT = `https://${ACCOUNT}.blob.core.windows.net`;
export const KEY = Buffer.alloc(64, 3).toString("base64");

/** A client of {@link ACCOUNT} with a fixed account key; it never sends a request in these tests. */
export const keyed = new BlobServiceClient(ENDPOINT, new StorageSharedKeyCredential(ACCOUNT, KEY));

/** A delegation key valid from 15 minutes before `now` for 7 days. */
export function delegationKey(now: Date): UserDelegationKey {
  return {
    signedObjectId: "11111111-1111-1111-1111-111111111111",
    signedTenantId: "22222222-2222-2222-2222-222222222222",
    signedStartsOn: new Date(now.getTime() - 15 * 60_000),
    signedExpiresOn: new Date(now.getTime() + 7 * 86_400_000),
    signedService: "b",
    signedVersion: "2026-10-06",
    value: Buffer.alloc(32, 5).toString("base64"),
  };
}

/** A signer with a fixed key: the interface lets callers bring their own key source. */
export function fixedSigner(now: Date): UserDelegationSigner {
  const key = delegationKey(now);
  return {
    accountName: ACCOUNT,
    service: new BlobServiceClient(ENDPOINT, new AnonymousCredential()),
    now: () => now,
    getUserDelegationKey: async () => key,
    clearCache: () => {},
  };
}
