/**
 * The store code the extension bundles (runtime/src/store): reading for the history view and panels,
 * renaming and deleting experiments. It runs no user code, so it also works in untrusted workspaces.
 */
import { openReaderAt, openStoreAt } from '../../../runtime/src/store/open.js';
import type { StoreReader } from '../../../runtime/src/store/types.js';

/** `storePath`: a store folder or file, or a postgres:// URL (the team store). */
export const openReader = (storePath: string): Promise<StoreReader> => openReaderAt(storePath);

export async function renameExperiment(storePath: string, from: string, to: string): Promise<void> {
	const store = await openStoreAt(storePath);
	try {
		await store.renameExperiment(from, to);
	} finally {
		await store.close();
	}
}

export async function deleteExperiment(storePath: string, name: string): Promise<void> {
	const store = await openStoreAt(storePath);
	try {
		await store.deleteExperiment(name);
	} finally {
		await store.close();
	}
}
