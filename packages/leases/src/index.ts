// @blobkit/leases
export {};
