/**
 * Where the response cache lives: a `cache/` folder inside the store folder (contracts/storage.ts
 * resolves it: `.doteval/` by default), next to the results, so one `--storage` moves both and
 * deleting the store folder clears both. Its own files: the store's catalog never reads them.
 */
import * as path from 'node:path';

export const cacheDirFor = (storeFolder: string): string => path.join(storeFolder, 'cache');
