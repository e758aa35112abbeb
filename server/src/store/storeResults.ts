/**
 * Last results per eval, read-only from the store a CLI run writes (possibly right now). One
 * reader per store file, reopened when the client says the store changed (`doteval/storeChanged`:
 * the extension has the one store-change path, file and run events, so the server does not watch
 * the store itself); results are cached per eval id until the next change, so lenses and hovers
 * stay cheap.
 */
import type { EvaluationInfo, StoreReader } from '../../../runtime/src/store/types.js';
import { storeExists } from '../../../runtime/src/contracts/storage.js';

export interface ResultView {
	experiment: string;
	evaluation: EvaluationInfo;
	/** Samples that passed, when the store can tell. */
	passed: number | null;
}

export type OpenStoreReader = (storePath: string) => Promise<StoreReader>;

interface OpenStore {
	reader: StoreReader | undefined;
	loading: Promise<void> | undefined;
	/** Bumped on every invalidation, so a load that started before it is thrown away. */
	generation: number;
	cache: Map</* evalId */ string, Promise<ResultView[]>>;
}

export class StoreResults {
	private readonly stores = new Map</* store path */ string, OpenStore>();

	constructor(
		private readonly open: OpenStoreReader,
		private readonly onChanged: (storePath: string) => void,
		private readonly log: (message: string) => void,
	) {}

	/** Open (once) the store at `storePath`; a missing file just has no results. */
	ensure(storePath: string): Promise<void> {
		const store = this.entry(storePath);
		// Before the first checkpoint a running CLI has only written its journal.
		if (store.reader || !storeExists(storePath)) return Promise.resolve();
		if (store.loading) return store.loading;
		const generation = store.generation;
		const loading: Promise<void> = this.open(storePath).then(
			(reader) => {
				if (generation === store.generation) store.reader = reader;
				else void reader.close(); // the store changed while it loaded: the next lookup reads it again
			},
			(error: unknown) => { this.log(`[store] cannot read ${storePath}: ${(error as Error).message}`); },
		).finally(() => {
			if (store.loading === loading) store.loading = undefined;
		});
		store.loading = loading;
		return loading;
	}

	/** Newest first, one per experiment. Call `ensure` first. */
	results(storePath: string, evalId: string, limit = 5): Promise<ResultView[]> {
		const store = this.stores.get(storePath);
		if (!store?.reader) return Promise.resolve([]);
		let views = store.cache.get(evalId);
		if (!views) {
			views = this.read(store.reader, evalId, limit);
			store.cache.set(evalId, views);
		}
		return views;
	}

	async latest(storePath: string, evalId: string): Promise<ResultView | undefined> {
		return (await this.results(storePath, evalId))[0];
	}

	/** The store was written: drop what was read and reopen on the next lookup. */
	invalidate(storePath: string): void {
		const store = this.stores.get(storePath);
		if (!store) {
			this.onChanged(storePath); // not read yet, but lenses may still show nothing for it
			return;
		}
		void store.reader?.close();
		store.reader = undefined;
		store.generation++;
		store.loading = undefined;
		store.cache.clear();
		this.onChanged(storePath);
	}

	dispose(): void {
		for (const store of this.stores.values()) {
			void store.reader?.close();
		}
		this.stores.clear();
	}

	private async read(reader: StoreReader, evalId: string, limit: number): Promise<ResultView[]> {
		try {
			const results = await reader.resultsForEval(evalId, limit);
			return await Promise.all(results.map(async ({ experiment, evaluation }) => ({
				experiment,
				evaluation,
				passed: await passedCount(reader, experiment, evalId),
			})));
		} catch (error) {
			this.log(`[store] cannot read results of ${evalId}: ${(error as Error).message}`);
			return [];
		}
	}

	private entry(storePath: string): OpenStore {
		let store = this.stores.get(storePath);
		if (!store) {
			store = { reader: undefined, loading: undefined, generation: 0, cache: new Map() };
			this.stores.set(storePath, store);
		}
		return store;
	}
}

async function passedCount(reader: StoreReader, experiment: string, evalId: string): Promise<number | null> {
	try {
		return (await reader.samples(experiment, evalId, { filter: 'passed', limit: 1 })).total;
	} catch {
		return null;
	}
}
