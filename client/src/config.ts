/** The `doteval.*` settings, read fresh each time (they can change while the extension runs). */
import * as vscode from 'vscode';
import * as path from 'node:path';
import { isPostgresUrl } from '../../runtime/src/contracts/storage.js';
import { defaultEvalGlobs } from '../../runtime/src/contracts/evalFiles.js';

export interface DotevalSettings {
	evalGlobs: string[];
	/** '' = the runtime's default (`.doteval/` in the project root). */
	storagePath: string;
	/** '' = the runtime the eval files import, else the bundled one. */
	runtimePath: string;
	/** The experiment editor runs go into ('' = a new timestamped one per run). */
	experiment: string;
}

export function readSettings(scope?: vscode.ConfigurationScope): DotevalSettings {
	const config = vscode.workspace.getConfiguration('doteval', scope);
	const globs = config.get<string[]>('evalGlobs');
	return {
		evalGlobs: Array.isArray(globs) && globs.length ? globs : [...defaultEvalGlobs],
		storagePath: config.get<string>('storagePath') ?? '',
		runtimePath: config.get<string>('runtimePath') ?? '',
		experiment: (config.get<string>('experiment') ?? 'current').trim(),
	};
}

/** The storage setting as an absolute path (relative values are relative to the workspace folder). */
export function storageSetting(file: string): string | undefined {
	const uri = vscode.Uri.file(file);
	const folder = vscode.workspace.getWorkspaceFolder(uri);
	const { storagePath } = readSettings(folder ?? uri);
	if (!storagePath) return undefined;
	if (isPostgresUrl(storagePath)) return storagePath.trim(); // the team store: a URL, not a path
	return path.resolve(folder?.uri.fsPath ?? path.dirname(file), storagePath);
}
