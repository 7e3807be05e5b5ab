// @blobkit/blobs: upload, download, list, copy, delete and restore, tags, properties, tiers.

// List, copy, delete and restore, tags, properties and metadata, access tiers.
export type {
  BlobBatchItemResult,
  BlobBatchOptions,
  BlobBatchResult,
  BlobReference,
} from "./BlobBatchResult.js";
export type { BlobConditions } from "./BlobConditions.js";
// Upload, download, and how transfers are split into blocks and ranges.
export type { ChooseBlockSizeOptions, ChooseBlockSizeResult } from "./chooseBlockSize.js";
export {
  BLOCK_SIZE_DOUBLING_INTERVAL,
  chooseBlockSize,
  DEFAULT_BLOCK_OPTIONS,
  MAX_BLOCK_BLOB_SIZE,
  MAX_BLOCK_COUNT,
  MAX_BLOCK_SIZE,
  MAX_SINGLE_SHOT_SIZE,
} from "./chooseBlockSize.js";
export type {
  CopyBlobOptions,
  CopyBlobResult,
  SourceAuthorization,
} from "./copyBlob.js";
export { copyBlob, MAX_SYNC_COPY_BYTES } from "./copyBlob.js";
export type {
  DeleteBlobIfExistsResult,
  DeleteBlobOptions,
  DeleteSnapshots,
} from "./deleteBlob.js";
export { deleteBlob, deleteBlobIfExists } from "./deleteBlob.js";
export type { DeleteBlobsOptions } from "./deleteBlobs.js";
export { deleteBlobs } from "./deleteBlobs.js";
export type {
  DownloadBlobContentResult,
  DownloadBlobDestination,
  DownloadBlobOptions,
  DownloadBlobResult,
  DownloadBlobStreamResult,
  DownloadRange,
  DownloadToBytes,
  DownloadToFile,
  DownloadToStream,
  DownloadToString,
  DownloadToWritable,
} from "./downloadBlob.js";
export { DEFAULT_DOWNLOAD_OPTIONS, downloadBlob } from "./downloadBlob.js";
export type { FindBlobsByTagsOptions, TaggedBlob } from "./findBlobsByTags.js";
export { findBlobsByTags } from "./findBlobsByTags.js";
export type {
  BlobCopyState,
  BlobHttpHeaders,
  BlobProperties,
  BlobTier,
  GetBlobPropertiesOptions,
} from "./getBlobProperties.js";
export { getBlobProperties } from "./getBlobProperties.js";
export type { GetBlobTagsOptions } from "./getBlobTags.js";
export { getBlobTags } from "./getBlobTags.js";
export type { BlobTierStatus, GetBlobTierOptions } from "./getBlobTier.js";
export { getBlobTier } from "./getBlobTier.js";
export type { ListBlobsInclude, ListBlobsOptions } from "./listBlobs.js";
export { listBlobs } from "./listBlobs.js";
export type {
  BlobHierarchyBlobItem,
  BlobHierarchyItem,
  BlobPrefixItem,
  ListBlobsByHierarchyOptions,
} from "./listBlobsByHierarchy.js";
export { listBlobsByHierarchy } from "./listBlobsByHierarchy.js";
export type { Page, PagedAsyncIterable, PageSettings } from "./PagedAsyncIterable.js";
export type { RehydrateBlobOptions, RehydrateBlobResult } from "./rehydrateBlob.js";
export { rehydrateBlob } from "./rehydrateBlob.js";
export type { RestoreBlobOptions, RestoreBlobResult } from "./restoreBlob.js";
export { restoreBlob } from "./restoreBlob.js";
export type {
  BlobHttpHeadersUpdate,
  SetBlobHttpHeadersOptions,
  SetBlobHttpHeadersResult,
} from "./setBlobHttpHeaders.js";
export { setBlobHttpHeaders } from "./setBlobHttpHeaders.js";
export type { SetBlobMetadataOptions, SetBlobMetadataResult } from "./setBlobMetadata.js";
export { setBlobMetadata } from "./setBlobMetadata.js";
export type { SetBlobsTierOptions } from "./setBlobsTier.js";
export { setBlobsTier } from "./setBlobsTier.js";
export type { SetBlobTagsOptions } from "./setBlobTags.js";
export { setBlobTags } from "./setBlobTags.js";
export type { RehydratePriority, SetBlobTierOptions, SetBlobTierResult } from "./setBlobTier.js";
export { setBlobTier } from "./setBlobTier.js";
export type { TagCondition, TagOperator } from "./tagQuery.js";
export { TagQuery, tagQuery } from "./tagQuery.js";
export type {
  UpdateBlobMetadataOptions,
  UpdateBlobMetadataResult,
} from "./updateBlobMetadata.js";
export { updateBlobMetadata } from "./updateBlobMetadata.js";
export type {
  UploadBlobOptions,
  UploadBlobResult,
  UploadBlobSource,
  UploadChecksum,
  UploadFileSource,
} from "./uploadBlob.js";
export { DEFAULT_UPLOAD_CONCURRENCY, uploadBlob } from "./uploadBlob.js";
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
export type { WalkBlobsEntry, WalkBlobsOptions } from "./walkBlobs.js";
export { walkBlobs } from "./walkBlobs.js";
