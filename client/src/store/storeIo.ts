/**
 * The store code the extension bundles (runtime/src/store): reading for the history view and panels,
 * renaming and deleting experiments. It runs no user code, so it also works in untrusted workspaces.
 */
import { openStore, openStoreReader } from '../../../runtime/src/store/index';
import type { StoreReader } from '../../../runtime/src/store/types';

export const openReader = (storePath: string): Promise<StoreReader> => openStoreReader(storePath);

export async function renameExperiment(storePath: string, from: string, to: string): Promise<void> {
	const store = await openStore(storePath);
	try {
		await store.renameExperiment(from, to);
	} finally {
		await store.close();
	}
}

export async function deleteExperiment(storePath: string, name: string): Promise<void> {
	const store = await openStore(storePath);
	try {
		await store.deleteExperiment(name);
	} finally {
		await store.close();
	}
}
