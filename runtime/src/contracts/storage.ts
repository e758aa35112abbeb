/**
 * Where the results store is: the one rule the CLI (`--storage`, `DOTEVAL_STORAGE`), the language
 * server and the extension (`doteval.storagePath`) share, so that all three read and write the same
 * store for the same settings. No file system writes, no sql.js: the editor bundles import it.
 *
 * A store is a folder (see docs/store.md). A configured path names that folder, relative to `base`
 * (the CLI's working directory, or the workspace folder for the editor setting):
 *  - `results`, `results/`, `/abs/dir`         → that folder;
 *  - `mine.db` (a store file of doteval ≤ 0.1) → the folder `mine/` beside it (the file is migrated
 *    into it on first open), except `…/.doteval/doteval.db`, the old default, whose folder is `.doteval/`.
 * Nothing configured: `<project root>/.doteval/`, the project root being the nearest folder with a
 * package.json above the eval file (or the working directory).
 */
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { findProjectRoot } from './evalId.js';

/** The default store folder, relative to the project root. */
export const defaultStoreDir = '.doteval';
/** The single-file store of doteval ≤ 0.1, inside a store folder (migrated on first open). */
export const legacyStoreFile = 'doteval.db';

export interface StorageSettings {
	/** --storage, DOTEVAL_STORAGE or doteval.storagePath; empty or undefined: the default. */
	configured?: string;
	/** What a relative `configured` is relative to. */
	base: string;
	/** A file inside the project (an eval file; for the cwd, a name in it): its project root holds the default store. */
	near: string;
	/** The project root, when the caller knows it already (the language server's index). */
	projectRoot?: string;
}

/** A PostgreSQL team store (docs/postgres.md) is named by its URL, not by a folder. */
export function isPostgresUrl(location: string): boolean {
	return /^postgres(ql)?:\/\//i.test(location.trim());
}

/**
 * The location with any password of a PostgreSQL URL replaced by `***`: what messages show. Here,
 * not beside the driver's URL parser (store/postgres/location.ts re-exports it), so that a command
 * on the embedded store names its store without loading PostgreSQL code.
 */
export function redactUrl(url: string): string {
	if (!isPostgresUrl(url)) return url;
	return url.replace(/^(postgres(?:ql)?:\/\/[^:@/?#]*):[^@/?#]*@/i, '$1:***@').replace(/([?&]password=)[^&#]*/gi, '$1***');
}

export function resolveStore({ configured, base, near, projectRoot }: StorageSettings): string {
	if (configured && isPostgresUrl(configured)) return configured.trim();
	if (configured) return storeFolder(path.resolve(base, configured));
	return path.join(projectRoot ?? findProjectRoot(near, existsSync), defaultStoreDir);
}

/** The store folder a configured path names (see above). */
export function storeFolder(full: string): string {
	if (!/\.db$/i.test(full)) return full;
	const dir = path.dirname(full);
	if (path.basename(full) === legacyStoreFile && path.basename(dir) === defaultStoreDir) return dir;
	return path.join(dir, path.basename(full).slice(0, -'.db'.length));
}

/** The CLI's rule: --storage wins, then DOTEVAL_STORAGE, then the default for the working directory. */
export function resolveCliStore(options: { storage?: string; cwd: string; env?: NodeJS.ProcessEnv }): string {
	const env = options.env ?? process.env;
	return resolveStore({ configured: options.storage ?? (env.DOTEVAL_STORAGE || undefined), base: options.cwd, near: path.join(options.cwd, 'any-file') });
}

/** Whether there is a store in this folder yet (or a single-file store that opening it migrates). */
export function storeExists(folder: string): boolean {
	if (isPostgresUrl(folder)) return true; // a server: whether it answers is for opening it to say
	return ['catalog.db', 'journals', legacyStoreFile].some((name) => existsSync(path.join(folder, name))) || existsSync(`${folder}.db`);
}
