// Reads a List Blobs response (the `EnumerationResults` XML of the Blob service) into what a
// transfer compares: each blob's name, size, last-modified time, stored MD5 and `mtime` metadata,
// the virtual directories, and the next page's marker. Everything else the service sends is
// skipped. Decision 22 says why the SDK's generic parse and mapper are not used for this one
// response: they were most of a no-change sync's CPU.
import { MTIME_METADATA, parseMtime, type RemoteEntry } from "./compare.js";

/** One page of a listing. */
export interface ListingPage {
  /** The blobs of the page, in the service's order. */
  entries: RemoteEntry[];
  /** The virtual directories of the page (a listing with a delimiter), names ending in it. */
  prefixes: string[];
  /** The marker of the next page; `undefined` on the last one. */
  next: string | undefined;
}

/** The XML's five predefined entities and character references, decoded. */
function decode(text: string): string {
  if (!text.includes("&")) return text;
  return text.replace(
    /&(?:#x([0-9a-fA-F]+)|#(\d+)|(amp|lt|gt|quot|apos));/g,
    (all, hex, dec, name) => {
      if (hex !== undefined) return String.fromCodePoint(Number.parseInt(hex, 16));
      if (dec !== undefined) return String.fromCodePoint(Number.parseInt(dec, 10));
      switch (name) {
        case "amp":
          return "&";
        case "lt":
          return "<";
        case "gt":
          return ">";
        case "quot":
          return '"';
        case "apos":
          return "'";
        default:
          return all;
      }
    },
  );
}

/** A listing response the parser cannot read: never guessed at. */
function malformed(why: string): Error {
  return new Error(`the List Blobs response could not be read: ${why}`);
}

interface BlobFields {
  name?: string;
  size?: string;
  lastModified?: string;
  md5?: string;
  mtime?: string;
}

/**
 * Parses one List Blobs response body. Names the service had to percent-encode (`Encoded="true"`:
 * characters XML 1.0 cannot carry) are decoded, as the SDK does. Throws on a body that is not a
 * well-formed listing (unbalanced elements, a blob without a name, size or time).
 */
export function parseListing(xml: string): ListingPage {
  const entries: RemoteEntry[] = [];
  const prefixes: string[] = [];
  let next: string | undefined;
  // Open elements, outermost first, and where the current element's text starts.
  const stack: string[] = [];
  let textStart = -1;
  let encoded = false;
  let blob: BlobFields | undefined;
  let prefix: string | undefined;
  let sawRoot = false;

  let at = xml.indexOf("<");
  while (at >= 0) {
    const end = xml.indexOf(">", at + 1);
    if (end < 0) throw malformed("an element is cut off");
    const first = xml.charCodeAt(at + 1);
    if (first === 0x3f /* ? */ || first === 0x21 /* ! */) {
      // The declaration, a comment or a doctype: nothing a listing needs.
      if (xml.startsWith("<!--", at)) {
        const close = xml.indexOf("-->", at + 4);
        if (close < 0) throw malformed("a comment is cut off");
        at = xml.indexOf("<", close + 3);
      } else if (xml.startsWith("<![CDATA[", at)) {
        throw malformed("CDATA sections are not expected");
      } else {
        at = xml.indexOf("<", end + 1);
      }
      continue;
    }
    if (first === 0x2f /* / */) {
      const name = xml.slice(at + 2, end).trim();
      const open = stack.pop();
      if (open !== name) throw malformed(`</${name}> closes <${open ?? "nothing"}>`);
      const text = textStart >= 0 ? xml.slice(textStart, at) : "";
      textStart = -1;
      close(name, text);
    } else {
      const selfClosing = xml.charCodeAt(end - 1) === 0x2f;
      const tag = xml.slice(at + 1, selfClosing ? end - 1 : end);
      const space = tag.search(/\s/);
      const name = space < 0 ? tag : tag.slice(0, space);
      const attributes = space < 0 ? "" : tag.slice(space);
      if (stack.length === 0) {
        if (name !== "EnumerationResults") throw malformed(`the root element is <${name}>`);
        sawRoot = true;
      }
      stack.push(name);
      openElement(name, attributes);
      if (selfClosing) {
        stack.pop();
        close(name, "");
      } else {
        textStart = end + 1;
      }
    }
    at = xml.indexOf("<", end + 1);
  }
  if (!sawRoot) throw malformed("there is no <EnumerationResults> element");
  if (stack.length > 0) throw malformed(`<${stack.at(-1)}> is never closed`);
  return { entries, prefixes, next };

  function openElement(name: string, attributes: string): void {
    const depth = stack.length; // including this element
    if (depth === 3 && stack[1] === "Blobs") {
      if (name === "Blob") blob = {};
      else if (name === "BlobPrefix") prefix = undefined;
    }
    if (name === "Name") encoded = /\bEncoded\s*=\s*["']true["']/i.test(attributes);
  }

  function close(name: string, raw: string): void {
    const depth = stack.length + 1; // the element just closed was at this depth
    if (depth === 2 && name === "NextMarker") {
      const marker = decode(raw);
      next = marker === "" ? undefined : marker;
      return;
    }
    if (depth < 3 || stack[1] !== "Blobs") return;
    const inside = stack[2];
    if (depth === 3) {
      if (name === "Blob") finishBlob();
      else if (name === "BlobPrefix") {
        if (prefix === undefined) throw malformed("a <BlobPrefix> has no <Name>");
        prefixes.push(prefix);
      }
      return;
    }
    if (inside === "BlobPrefix" && depth === 4 && name === "Name") {
      prefix = nameOf(raw);
      return;
    }
    if (inside !== "Blob" || blob === undefined) return;
    if (depth === 4 && name === "Name") blob.name = nameOf(raw);
    else if (depth === 5 && stack[3] === "Properties") {
      if (name === "Content-Length") blob.size = raw.trim();
      else if (name === "Last-Modified") blob.lastModified = raw.trim();
      else if (name === "Content-MD5") blob.md5 = raw.trim();
    } else if (depth === 5 && stack[3] === "Metadata" && name.toLowerCase() === MTIME_METADATA) {
      blob.mtime = decode(raw);
    }
  }

  function nameOf(raw: string): string {
    const text = decode(raw);
    if (!encoded) return text;
    try {
      return decodeURIComponent(text);
    } catch {
      throw malformed(`an encoded name is not valid percent-encoding: ${JSON.stringify(text)}`);
    }
  }

  function finishBlob(): void {
    const fields = blob;
    blob = undefined;
    if (fields?.name === undefined) throw malformed("a <Blob> has no <Name>");
    const size = Number(fields.size);
    const lastModified = Date.parse(fields.lastModified ?? "");
    if (fields.size === undefined || !Number.isSafeInteger(size) || size < 0) {
      throw malformed(`the blob ${JSON.stringify(fields.name)} has no valid <Content-Length>`);
    }
    if (Number.isNaN(lastModified)) {
      throw malformed(`the blob ${JSON.stringify(fields.name)} has no valid <Last-Modified>`);
    }
    const mtimeMs = parseMtime(fields.mtime);
    const md5 = fields.md5 ? Buffer.from(fields.md5, "base64") : undefined;
    entries.push({
      name: fields.name,
      size,
      lastModified,
      ...(mtimeMs !== undefined ? { mtimeMs } : {}),
      ...(md5 && md5.length > 0 ? { contentMD5: md5 } : {}),
    });
  }
}
