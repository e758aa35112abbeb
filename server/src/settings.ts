/** The server's settings (section `doteval`), with the CLI's defaults. */
import * as path from 'node:path';
import { defaultEvalGlobs } from './workspace/globs';
import { isPostgresUrl } from '../../runtime/src/store/postgres/location';
import type { ServerSettings } from './protocol';

export const defaultSettings: ServerSettings = { evalGlobs: defaultEvalGlobs, storagePath: '' };

/** Accept whatever the client sends; anything malformed falls back to the default. */
export function normalizeSettings(raw: unknown): ServerSettings {
	const r = (raw && typeof raw === 'object' ? raw : {}) as Partial<Record<keyof ServerSettings, unknown>>;
	const globs = Array.isArray(r.evalGlobs) ? r.evalGlobs.filter((g): g is string => typeof g === 'string' && g.length > 0) : [];
	return {
		evalGlobs: globs.length ? globs : defaultSettings.evalGlobs,
		storagePath: typeof r.storagePath === 'string' ? r.storagePath : '',
	};
}

/**
 * The store a file's results are in: `doteval.storagePath` (relative to the workspace folder; a
 * folder means `<folder>/doteval.db`, as the CLI's --storage), else `<project root>/.doteval/doteval.db`.
 */
export function storePathFor(settings: ServerSettings, projectRoot: string, workspaceFolder: string | undefined): string {
	if (!settings.storagePath) return path.join(projectRoot, '.doteval', 'doteval.db');
	if (isPostgresUrl(settings.storagePath)) return settings.storagePath.trim();
	const full = path.resolve(workspaceFolder ?? projectRoot, settings.storagePath);
	return /[\\/]$/.test(settings.storagePath) || !path.extname(full) ? path.join(full, 'doteval.db') : full;
}
