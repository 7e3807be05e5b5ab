// @blobkit/sas: user delegation, service and account SAS with safe defaults, a cached
// delegation-key signer, and a SAS inspector.

export type { AccountSasOptions } from "./createAccountSas.js";
export { createAccountSas } from "./createAccountSas.js";
export type { ServiceSasOptions } from "./createServiceSas.js";
export { createServiceSas } from "./createServiceSas.js";
export type { UserDelegationSasOptions } from "./createUserDelegationSas.js";
export { createUserDelegationSas } from "./createUserDelegationSas.js";
export type {
  GetUserDelegationKeyOptions,
  UserDelegationSigner,
  UserDelegationSignerOptions,
} from "./createUserDelegationSigner.js";
export { createUserDelegationSigner } from "./createUserDelegationSigner.js";
export type { ExplainSasOptions } from "./explainSas.js";
export { explainSas } from "./explainSas.js";
export type { ParseSasOptions } from "./parseSas.js";
export { parseSas } from "./parseSas.js";
export { SAS_DEFAULTS } from "./SAS_DEFAULTS.js";
export type {
  SasDescription,
  SasLocation,
  SasPermissionsDescription,
  SasResourceKind,
  SasService,
  SasSignedIdentity,
  SasWarning,
  SasWarningCode,
  SasWarningSeverity,
} from "./SasDescription.js";
export type {
  AccountSasResourceType,
  SasCommonOptions,
  SasIpRange,
  SasKind,
  SasPermission,
  SasPermissionsInput,
  SasProtocol,
  SasResponseHeaders,
  SasResult,
  SasTarget,
} from "./types.js";
