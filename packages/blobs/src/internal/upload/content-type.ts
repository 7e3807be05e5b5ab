// Content type from a blob name's extension: a small table of common types, so browsers and CDNs
// serve uploaded files correctly without every caller passing contentType.

const TYPES: Record<string, string> = {
  // text
  txt: "text/plain",
  log: "text/plain",
  csv: "text/csv",
  tsv: "text/tab-separated-values",
  md: "text/markdown",
  html: "text/html",
  htm: "text/html",
  css: "text/css",
  js: "text/javascript",
  mjs: "text/javascript",
  xml: "application/xml",
  json: "application/json",
  ndjson: "application/x-ndjson",
  jsonl: "application/jsonl",
  yaml: "application/yaml",
  yml: "application/yaml",
  // images
  png: "image/png",
  jpg: "image/jpeg",
  jpeg: "image/jpeg",
  gif: "image/gif",
  webp: "image/webp",
  avif: "image/avif",
  svg: "image/svg+xml",
  ico: "image/vnd.microsoft.icon",
  bmp: "image/bmp",
  tif: "image/tiff",
  tiff: "image/tiff",
  // audio and video
  mp3: "audio/mpeg",
  wav: "audio/wav",
  ogg: "audio/ogg",
  mp4: "video/mp4",
  webm: "video/webm",
  mov: "video/quicktime",
  // documents, fonts, code
  pdf: "application/pdf",
  wasm: "application/wasm",
  woff: "font/woff",
  woff2: "font/woff2",
  ttf: "font/ttf",
  otf: "font/otf",
  // archives and data
  zip: "application/zip",
  gz: "application/gzip",
  tgz: "application/gzip",
  tar: "application/x-tar",
  "7z": "application/x-7z-compressed",
  zst: "application/zstd",
  parquet: "application/vnd.apache.parquet",
  avro: "application/avro",
};

/** The fallback Azure itself uses for blobs without a content type. */
export const DEFAULT_CONTENT_TYPE = "application/octet-stream";

/** Content type for a blob name, from its extension (case-insensitive); the fallback otherwise. */
export function contentTypeFor(name: string): string {
  const base = name.slice(name.lastIndexOf("/") + 1);
  const dot = base.lastIndexOf(".");
  if (dot <= 0) return DEFAULT_CONTENT_TYPE;
  return TYPES[base.slice(dot + 1).toLowerCase()] ?? DEFAULT_CONTENT_TYPE;
}

/** Whether text of this type is worth a `charset` parameter (we encode strings as UTF-8). */
export function isTextual(contentType: string): boolean {
  return /^text\/|^application\/(json|xml|yaml|x-ndjson|jsonl)$|\+xml$/.test(contentType);
}
