/** The store folder of an eval file in the editor (no `vscode` here: tested in plain Node against the CLI and the server). */
import * as path from 'node:path';
import { resolveStore } from '../../../runtime/src/contracts/storage.js';

/** `doteval.storagePath` (relative to the workspace folder, or absolute), else the project root's `.doteval/`. */
export function storeFolderFor(file: string, workspaceFolder: string | undefined, storagePath: string | undefined): string {
	return resolveStore({ configured: storagePath || undefined, base: workspaceFolder ?? path.dirname(file), near: file });
}
