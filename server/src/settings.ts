/** The server's settings (section `doteval`), with the CLI's defaults. */
import * as path from 'node:path';
import { resolveStore } from '../../runtime/src/contracts/storage.js';
import { defaultEvalGlobs } from '../../runtime/src/contracts/evalFiles.js';
import type { ServerSettings } from '../../runtime/src/contracts/editorProtocol.js';

export const defaultSettings: ServerSettings = { evalGlobs: [...defaultEvalGlobs], storagePath: '' };

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
 * The store folder a file's results are in: `doteval.storagePath` relative to the workspace folder,
 * else `<project root>/.doteval/`: the rule the CLI and the extension share (contracts/storage.ts).
 */
export function storePathFor(settings: ServerSettings, projectRoot: string, workspaceFolder: string | undefined): string {
	return resolveStore({ configured: settings.storagePath, base: workspaceFolder ?? projectRoot, near: path.join(projectRoot, 'any-file'), projectRoot });
}
