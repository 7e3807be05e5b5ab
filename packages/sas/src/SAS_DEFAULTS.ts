// The defaults and limits BlobKit applies to every SAS it creates, in one place: creation,
// the delegation key cache and the review of parsed SAS all read them from here.

/** The defaults and limits BlobKit applies to every SAS it creates. */
export const SAS_DEFAULTS = {
  /** How far in the past a SAS starts by default (clock skew). */
  startSkewMs: 15 * 60_000,
  /** Default lifetime of a SAS. */
  lifetimeMs: 60 * 60_000,
  /** Longest lifetime accepted without `allowLongLived` (and the hard limit of a delegation SAS). */
  maxLifetimeMs: 7 * 24 * 60 * 60_000,
  /** Default lifetime of a cached user delegation key. */
  keyLifetimeMs: 24 * 60 * 60_000,
  /** A cached delegation key is replaced this long before it expires. */
  keyRefreshBeforeMs: 15 * 60_000,
} as const;
