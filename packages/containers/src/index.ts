// @blobkit/containers: create, list, delete and restore, properties and metadata of containers.
export { validateContainerName } from "./validateContainerName.js";
export type { Metadata } from "./validateMetadata.js";
export { MAX_METADATA_BYTES, validateMetadata } from "./validateMetadata.js";
