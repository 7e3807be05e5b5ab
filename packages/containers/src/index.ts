// @blobkit/containers: create, list, delete and restore, properties and metadata of containers.
export type { CreateContainerResult } from "./createContainer.js";
export { createContainer } from "./createContainer.js";
export type { CreateContainerIfNotExistsResult } from "./createContainerIfNotExists.js";
export { createContainerIfNotExists } from "./createContainerIfNotExists.js";
export type { DeleteContainerOptions } from "./deleteContainer.js";
export { deleteContainer } from "./deleteContainer.js";
export type { DeleteContainerIfExistsResult } from "./deleteContainerIfExists.js";
export { deleteContainerIfExists } from "./deleteContainerIfExists.js";
export type {
  DeleteContainerOutcome,
  DeleteContainersByPrefixOptions,
  DeleteContainersByPrefixResult,
} from "./deleteContainersByPrefix.js";
export { deleteContainersByPrefix } from "./deleteContainersByPrefix.js";
export type {
  GetContainerAccessPolicyOptions,
  GetContainerAccessPolicyResult,
} from "./getContainerAccessPolicy.js";
export { getContainerAccessPolicy } from "./getContainerAccessPolicy.js";
export type { GetContainerPropertiesOptions } from "./getContainerProperties.js";
export { getContainerProperties } from "./getContainerProperties.js";
export type {
  ContainerListItem,
  ContainerListing,
  ContainerPage,
  ListContainersOptions,
  ListContainersPageSettings,
} from "./listContainers.js";
export { listContainers, MAX_LIST_PAGE_SIZE } from "./listContainers.js";
export type { RestoreContainerOptions, RestoreContainerResult } from "./restoreContainer.js";
export { restoreContainer } from "./restoreContainer.js";
export type { ContainerAccessPolicy, StoredAccessPolicy } from "./rules/validateAccessPolicy.js";
export {
  CONTAINER_PERMISSIONS,
  MAX_STORED_ACCESS_POLICIES,
  MAX_STORED_POLICY_ID_LENGTH,
  validateAccessPolicy,
} from "./rules/validateAccessPolicy.js";
export { validateContainerName } from "./rules/validateContainerName.js";
export { MAX_METADATA_BYTES, validateMetadata } from "./rules/validateMetadata.js";
export type {
  SetContainerAccessPolicyOptions,
  SetContainerAccessPolicyResult,
} from "./setContainerAccessPolicy.js";
export { setContainerAccessPolicy } from "./setContainerAccessPolicy.js";
export type {
  SetContainerMetadataOptions,
  SetContainerMetadataResult,
} from "./setContainerMetadata.js";
export { setContainerMetadata } from "./setContainerMetadata.js";
export type {
  ContainerProperties,
  CreateContainerOptions,
  LeaseDuration,
  LeaseState,
  LeaseStatus,
  Metadata,
  PublicAccessLevel,
  RetryWhileBeingDeletedOptions,
} from "./types.js";
export type {
  MetadataUpdate,
  UpdateContainerMetadataOptions,
  UpdateContainerMetadataResult,
} from "./updateContainerMetadata.js";
export { updateContainerMetadata } from "./updateContainerMetadata.js";
