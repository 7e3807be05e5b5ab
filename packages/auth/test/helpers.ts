// Test helpers: SAS tokens signed with the emulator's key, and the secret check. Loopback servers
// come from @blobkit/testing (startSilentServer, startFaultProxy, startStubServer).
import {
  AccountSASPermissions,
  AccountSASResourceTypes,
  AccountSASServices,
  generateAccountSASQueryParameters,
  StorageSharedKeyCredential,
} from "@azure/storage-blob";
import type { AzuriteConnection } from "@blobkit/testing";

export function accountSas(
  azurite: AzuriteConnection,
  permissions: string,
  expiresInMs = 3_600_000,
): string {
  return generateAccountSASQueryParameters(
    {
      expiresOn: new Date(Date.now() + expiresInMs),
      startsOn: new Date(Date.now() - 15 * 60_000),
      permissions: AccountSASPermissions.parse(permissions),
      resourceTypes: AccountSASResourceTypes.parse("sco").toString(),
      services: AccountSASServices.parse("b").toString(),
    },
    new StorageSharedKeyCredential(azurite.accountName, azurite.accountKey),
  ).toString();
}

export { expectNoSecrets } from "@blobkit/testing/vitest";
