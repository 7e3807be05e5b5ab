// @blobkit/blobs: upload, download, list, copy, delete and restore, tags, properties, tiers.
// Layers inside the package: types.ts (shared types) and rules/ (Azure's limits and grammars as
// pure functions: names, tags, tag queries, block sizes) <- internal/ (helpers) <- the capability
// files; internal/ never imports a capability file. Each section comment is followed by a blank
// line, so that Biome sorts the exports under it without moving them across sections.

// Upload, download, how uploads are split into blocks, and budgets shared by transfers.

export { downloadBlob } from "#download-blob";
export type { CreateTransferBudgetOptions } from "./createTransferBudget.js";
export { createTransferBudget, DEFAULT_TRANSFER_BUDGET } from "./createTransferBudget.js";
export type {
  DownloadBlobContentResult,
  DownloadBlobDestination,
  DownloadBlobOptions,
  DownloadBlobResult,
  DownloadBlobStreamResult,
  DownloadBlobWebStreamResult,
  DownloadRange,
  DownloadToBytes,
  DownloadToFile,
  DownloadToStream,
  DownloadToString,
  DownloadToWebStream,
  DownloadToWritable,
  DownloadVerification,
} from "./DownloadBlobOptions.js";
export { DEFAULT_DOWNLOAD_OPTIONS } from "./internal/download/defaults.js";
export type { ChooseBlockSizeOptions, ChooseBlockSizeResult } from "./rules/chooseBlockSize.js";
export {
  BLOCK_SIZE_DOUBLING_INTERVAL,
  chooseBlockSize,
  DEFAULT_BLOCK_OPTIONS,
  MAX_BLOCK_BLOB_SIZE,
  MAX_BLOCK_COUNT,
  MAX_BLOCK_SIZE,
  MAX_SINGLE_SHOT_SIZE,
} from "./rules/chooseBlockSize.js";
export type {
  UploadBlobOptions,
  UploadBlobResult,
  UploadBlobSource,
  UploadChecksum,
  UploadFileSource,
} from "./UploadBlobOptions.js";
export { DEFAULT_UPLOAD_CONCURRENCY, uploadBlob } from "./uploadBlob.js";

// List, walk and find by tags: lazy, page by page.

export type { FindBlobsByTagsOptions, TaggedBlob } from "./findBlobsByTags.js";
export { findBlobsByTags } from "./findBlobsByTags.js";
export type { ListBlobsOptions } from "./listBlobs.js";
export { listBlobs } from "./listBlobs.js";
export type {
  BlobHierarchyBlobItem,
  BlobHierarchyItem,
  BlobPrefixItem,
  ListBlobsByHierarchyOptions,
} from "./listBlobsByHierarchy.js";
export { listBlobsByHierarchy } from "./listBlobsByHierarchy.js";
export type { Page, PagedAsyncIterable, PageSettings } from "./PagedAsyncIterable.js";
export type { TagCondition, TagOperator } from "./rules/tagQuery.js";
export { TagQuery, tagQuery } from "./rules/tagQuery.js";
export type { WalkBlobsEntry, WalkBlobsOptions } from "./walkBlobs.js";
export { walkBlobs } from "./walkBlobs.js";

// Copy, delete and restore, one blob or many in batches.

export type {
  BlobBatchItemResult,
  BlobBatchOptions,
  BlobBatchResult,
  BlobReference,
} from "./BlobBatchResult.js";
export type { CopyBlobOptions, CopyBlobResult } from "./CopyBlobOptions.js";
export { copyBlob, MAX_SYNC_COPY_BYTES } from "./copyBlob.js";
export type { DeleteBlobIfExistsResult, DeleteBlobOptions } from "./deleteBlob.js";
export { deleteBlob, deleteBlobIfExists } from "./deleteBlob.js";
export type { DeleteBlobsOptions } from "./deleteBlobs.js";
export { deleteBlobs } from "./deleteBlobs.js";
export type { RestoreBlobOptions, RestoreBlobResult } from "./restoreBlob.js";
export { restoreBlob } from "./restoreBlob.js";

// Properties, HTTP headers, metadata and index tags.

export type {
  BlobCopyState,
  BlobProperties,
  GetBlobPropertiesOptions,
} from "./getBlobProperties.js";
export { getBlobProperties } from "./getBlobProperties.js";
export type { GetBlobTagsOptions } from "./getBlobTags.js";
export { getBlobTags } from "./getBlobTags.js";
export type {
  BlobHttpHeadersUpdate,
  SetBlobHttpHeadersOptions,
  SetBlobHttpHeadersResult,
} from "./setBlobHttpHeaders.js";
export { setBlobHttpHeaders } from "./setBlobHttpHeaders.js";
export type { SetBlobMetadataOptions, SetBlobMetadataResult } from "./setBlobMetadata.js";
export { setBlobMetadata } from "./setBlobMetadata.js";
export type { SetBlobTagsOptions } from "./setBlobTags.js";
export { setBlobTags } from "./setBlobTags.js";
export type {
  UpdateBlobMetadataOptions,
  UpdateBlobMetadataResult,
} from "./updateBlobMetadata.js";
export { updateBlobMetadata } from "./updateBlobMetadata.js";

// Access tiers and rehydration from Archive.

export type { BlobTierStatus, GetBlobTierOptions } from "./getBlobTier.js";
export { getBlobTier } from "./getBlobTier.js";
export type { RehydrateBlobOptions, RehydrateBlobResult } from "./rehydrateBlob.js";
export { rehydrateBlob } from "./rehydrateBlob.js";
export type { SetBlobsTierOptions } from "./setBlobsTier.js";
export { setBlobsTier } from "./setBlobsTier.js";
export type { SetBlobTierOptions, SetBlobTierResult } from "./setBlobTier.js";
export { setBlobTier } from "./setBlobTier.js";

// Types several functions share.

export type {
  BlobConditions,
  BlobHttpHeaders,
  BlobTier,
  DeleteSnapshots,
  ListBlobsInclude,
  RehydratePriority,
  SourceAuthorization,
  TransferBudget,
} from "./types.js";

// The rules for names and tags, checked before any request.

export {
  MAX_BLOB_NAME_LENGTH,
  MAX_BLOB_PATH_SEGMENTS,
  validateBlobName,
} from "./rules/validateBlobName.js";
export type { Tags } from "./rules/validateTags.js";
export {
  MAX_TAG_KEY_LENGTH,
  MAX_TAG_VALUE_LENGTH,
  MAX_TAGS,
  validateTags,
} from "./rules/validateTags.js";
