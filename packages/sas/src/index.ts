// @blobkit/sas
export {};
