/**
 * Where the response cache lives: a `cache/` folder inside the store's folder, next to the results
 * (`.doteval/doteval.db` → `.doteval/cache/`; a folder store `.doteval/` → `.doteval/cache/`), so one
 * `--storage` moves both and deleting `.doteval/` clears both.
 */
import { existsSync, statSync } from 'node:fs';
import * as path from 'node:path';

export function cacheDirFor(storagePath: string): string {
	const isFolder = existsSync(storagePath) ? statSync(storagePath).isDirectory() : path.extname(storagePath) === '';
	return path.join(isFolder ? storagePath : path.dirname(storagePath), 'cache');
}
