// @blobkit/blobs: upload, download, list, copy, delete and restore, tags, properties, tiers.
export {};
