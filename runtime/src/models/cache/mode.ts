/**
 * `--cache off|on|replay|record`:
 *   off     every call goes to the provider, nothing is stored
 *   on      a cached response answers the call; a miss calls the provider and stores the answer
 *   replay  only the cache answers; a miss fails the sample (CI without keys stays deterministic)
 *   record  every call goes to the provider and its answer replaces the cached one
 */
export const cacheModes = ['off', 'on', 'replay', 'record'] as const;
/** How the response cache is used: `off`, `on` (read; a miss calls and stores), `replay` (only the cache answers) or `record` (always call, store the answer). */
export type CacheMode = (typeof cacheModes)[number];

export const readsCache = (mode: CacheMode): boolean => mode === 'on' || mode === 'replay';
export const writesCache = (mode: CacheMode): boolean => mode === 'on' || mode === 'record';
