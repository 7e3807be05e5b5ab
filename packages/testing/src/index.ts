// @blobkit/testing: an embedded Azurite for tests, with HTTPS + Microsoft Entra ID emulation.

export { trustCertificateInProcess as trustCertificate } from "./internal/certificate.js";
export type { AzuriteConnection, AzuriteInstance, StartAzuriteOptions } from "./startAzurite.js";
export {
  AZURITE_ACCOUNT_KEY,
  AZURITE_ACCOUNT_NAME,
  startAzurite,
} from "./startAzurite.js";
export type {
  FaultKind,
  FaultProxy,
  FaultProxyOptions,
  FaultProxyStats,
  FaultRule,
} from "./startFaultProxy.js";
export { startFaultProxy } from "./startFaultProxy.js";
export type { SilentServer, StartSilentServerOptions } from "./startSilentServer.js";
export { startSilentServer } from "./startSilentServer.js";
export type {
  StartStubServerOptions,
  StubHandler,
  StubRequest,
  StubServer,
} from "./startStubServer.js";
export { startStubServer } from "./startStubServer.js";
export type { CreateTestContainerOptions, TestContainer } from "./testContainer.js";
export { createTestContainer, uniqueContainerName } from "./testContainer.js";
export type { EmulatorTokenCredential, EmulatorTokenCredentialOptions } from "./tokenCredential.js";
export { createEmulatorTokenCredential } from "./tokenCredential.js";
