// The shape every BlobKit listing returns: iterate items with `for await`, or pages with `byPage()`.

/** Where to start a page-by-page listing, and how big pages may be. */
export interface PageSettings {
  /** Resume after the page that returned this token; `undefined` starts at the beginning. */
  continuationToken?: string;
  /**
   * Most items per page (1-5,000). Left out, the service decides (up to 5,000). The service may
   * return fewer items and still a continuation token.
   */
  maxPageSize?: number;
}

/** One page of a listing. */
export interface Page<T> {
  /** The items of this page, in the service's order. */
  items: T[];
  /** Pass to `byPage({ continuationToken })` to get the next page; `undefined` on the last page. */
  continuationToken: string | undefined;
}

/**
 * A listing that is fetched lazily, one page (one request) at a time: `for await` over it yields
 * items, `byPage()` yields pages with continuation tokens, so a listing is never loaded whole.
 */
export interface PagedAsyncIterable<T> extends AsyncIterable<T> {
  /** Iterates page by page, e.g. to resume later from a saved continuation token. */
  byPage(settings?: PageSettings): AsyncIterableIterator<Page<T>>;
}
