// Finds the account key credential of a service client, for service and account SAS.
import { type BlobServiceClient, StorageSharedKeyCredential } from "@azure/storage-blob";
import { credentialKindOf, invalidArgument } from "@blobkit/auth/kit";

/** The client's `StorageSharedKeyCredential`, or an `InvalidArgument` that says what to do. */
export function sharedKeyOf(service: BlobServiceClient, what: string): StorageSharedKeyCredential {
  if (typeof service !== "object" || service === null || typeof service.url !== "string") {
    throw invalidArgument("service", "must be a BlobServiceClient, e.g. from connect()");
  }
  const credential = service.credential;
  if (credential instanceof StorageSharedKeyCredential) return credential;
  const kind = credentialKindOf(service);
  throw invalidArgument(
    "service",
    `${what} is signed with the account key, but this client uses ${
      kind === "entra"
        ? "Microsoft Entra ID: create a user delegation SAS instead (createUserDelegationSigner and createUserDelegationSas), which needs no key"
        : kind === "sas"
          ? "a SAS token, which cannot sign other SAS"
          : "no account key"
    }. To sign with the key, connect with method "accountKey", "connectionString" (with AccountKey) or "emulator"`,
  );
}
