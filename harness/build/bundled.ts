// Defined by the harness's bundle (harness/build/bundle-harness.js): the URL of its API module.
declare const NETGRADE_INDEX_URL: string | undefined;

/**
 * Running bundled, the URL of the bundle's API module, its other modules beside it; running from
 * the sources (vitest, tsx), undefined.
 */
export const BUNDLE_INDEX_URL = typeof NETGRADE_INDEX_URL === 'string' ? NETGRADE_INDEX_URL : undefined;
