/**
 * Strategy defaults that the language server shows without running code (hovers, lenses), so the
 * editor and `doteval run --list` report the same window for `new Adaptive()`.
 */
export const ADAPTIVE_DEFAULT_MAX_CONCURRENCY = 100;
