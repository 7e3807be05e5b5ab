// Builds PagedAsyncIterables over the SDK's page iterators, converting each page request's
// failure into a StorageError.
import type { ErrorContext } from "@blobkit/auth";
import { checkInteger, invalidArgument, runOperation } from "@blobkit/auth/kit";
import type { Page, PagedAsyncIterable, PageSettings } from "../PagedAsyncIterable.js";

/** Checks `byPage()` settings before any request. */
export function checkPageSettings(settings: PageSettings | undefined): PageSettings {
  if (settings === undefined) return {};
  if (typeof settings !== "object" || settings === null) {
    throw invalidArgument("byPage settings", "must be an object");
  }
  const { continuationToken, maxPageSize } = settings;
  if (continuationToken !== undefined && typeof continuationToken !== "string") {
    throw invalidArgument("continuationToken", "must be a string from a previous page");
  }
  checkInteger("maxPageSize", maxPageSize, { min: 1, max: 5000 });
  return {
    ...(continuationToken ? { continuationToken } : {}),
    ...(maxPageSize !== undefined ? { maxPageSize } : {}),
  };
}

/** The SDK's `byPage()` settings, without undefined fields (the SDK sends what it is given). */
export function sdkPageSettings(settings: PageSettings): {
  continuationToken?: string;
  maxPageSize?: number;
} {
  return {
    ...(settings.continuationToken ? { continuationToken: settings.continuationToken } : {}),
    ...(settings.maxPageSize !== undefined ? { maxPageSize: settings.maxPageSize } : {}),
  };
}

/**
 * Walks an SDK page iterator, one request per `next()`, each wrapped in `runOperation`, and maps
 * every SDK page to a BlobKit page.
 */
export async function* mapSdkPages<TSdkPage, T>(
  pages: AsyncIterator<TSdkPage>,
  context: ErrorContext,
  map: (page: TSdkPage) => Page<T>,
): AsyncGenerator<Page<T>> {
  for (;;) {
    const next = await runOperation(context, () => pages.next());
    if (next.done) return;
    yield map(next.value);
  }
}

/** Makes a PagedAsyncIterable from a function that yields pages for given settings. */
export function pagedIterable<T>(
  pages: (settings: PageSettings) => AsyncGenerator<Page<T>>,
): PagedAsyncIterable<T> {
  return {
    async *[Symbol.asyncIterator]() {
      for await (const page of pages({})) yield* page.items;
    },
    byPage(settings?: PageSettings) {
      return pages(checkPageSettings(settings));
    },
  };
}

/** `""` and missing tokens both mean "last page". */
export function tokenOf(token: string | undefined): string | undefined {
  return token ? token : undefined;
}
