// What this package adds to the errors of container operations: a hint for each service error
// users meet with containers, on top of what toStorageError says. Passed to the kit's
// runOperation as its explainer.
import { hintsByServiceCode } from "@blobkit/auth/kit";

/** Adds the hint for the error's service code (`x-ms-error-code`), if there is one. */
export const explainContainerError = hintsByServiceCode({
  ContainerBeingDeleted:
    "The container is being deleted; Azure keeps its name reserved for at least 30 seconds after a delete. Try again later (createContainer waits this out unless retryWhileBeingDeleted is false).",
  PublicAccessNotPermitted:
    "The storage account disallows anonymous access (AllowBlobPublicAccess is false, the default for new accounts). Keep publicAccess 'none' and share with a SAS, or allow public access on the account.",
  LeaseIdMissing: "The container has an active lease: pass its leaseId, or break the lease first.",
  LeaseIdMismatchWithContainerOperation: "The leaseId does not match the container's active lease.",
  LeaseNotPresentWithContainerOperation:
    "A leaseId was given but the container has no active lease.",
});
