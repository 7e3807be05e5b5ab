// @blobkit/blobs: upload, download, list, copy, delete and restore, tags, properties, tiers.
export {
  MAX_BLOB_NAME_LENGTH,
  MAX_BLOB_PATH_SEGMENTS,
  validateBlobName,
} from "./validateBlobName.js";
export type { Tags } from "./validateTags.js";
export {
  MAX_TAG_KEY_LENGTH,
  MAX_TAG_VALUE_LENGTH,
  MAX_TAGS,
  validateTags,
} from "./validateTags.js";
