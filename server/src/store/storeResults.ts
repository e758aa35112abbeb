/**
 * Last results per eval, read-only from the store a CLI run writes (possibly right now). One
 * reader per store file, reloaded when the client says the store changed (`doteval/storeChanged`:
 * the extension has the one store-change path, file and run events, so the server does not watch
 * the store itself); results are cached per eval id until the next change, so lenses and hovers
 * stay cheap.
 *
 * Lenses never wait for a store's first read: `ready` says whether results are at hand, and
 * `onChanged` fires when that read lands, so the server can have the editor ask again
 * (codeLens/refresh). A change is reported once its reload is in place, so that the server refreshes
 * only when the lenses really differ (each refresh restarts the editor's lens debounce); a request
 * that comes during the reload gets the results of the reader in place, never an empty answer, so a
 * lens keeps its result while a run writes.
 */
import type { EvaluationInfo, StoreReader } from '../../../runtime/src/store/types.js';
import { storeExists } from '../../../runtime/src/contracts/storage.js';

export interface ResultView {
	experiment: string;
	evaluation: EvaluationInfo;
	/** Samples that passed, when the store can tell. */
	passed: number | null;
	/** When this was read (epoch ms): a running evaluation's wall time has grown since by now − readAt. */
	readAt: number;
}

export type OpenStoreReader = (storePath: string) => Promise<StoreReader>;

interface OpenStore {
	reader: StoreReader | undefined;
	/** The generation `reader` was opened at. */
	readerGeneration: number;
	loading: Promise<void> | undefined;
	/** Bumped on every change; a load installs its reader only if it is newer than the one in place. */
	generation: number;
	cache: Map</* evalId */ string, Promise<ResultView[]>>;
}

/** A failed read of a store is tried again this many times, after 0.5 s, 1 s, 1.5 s. */
const loadRetries = 3;
const loadRetryMs = 500;

export class StoreResults {
	private readonly stores = new Map</* store path */ string, OpenStore>();

	constructor(
		private readonly open: OpenStoreReader,
		private readonly onChanged: (storePath: string) => void,
		private readonly log: (message: string) => void,
	) {}

	/**
	 * True when `results` can answer: a reader is open, or there is no store (no results). False while
	 * the store is read for the first time: that read is started, and `onChanged` fires when it is
	 * done. A reload in progress is not waited for: the reader in place answers (the result shown so
	 * far), and `onChanged` fires when the new one is in. A lens request that waited for reloads
	 * would make VS Code, which times its lens debounce by how long answers take, ask later.
	 */
	async ready(storePath: string): Promise<boolean> {
		const store = this.entry(storePath);
		if (store.reader) return true;
		if (!storeExists(storePath)) return true;
		void this.ensure(storePath);
		return false;
	}

	/** Open (once) the store at `storePath`; a missing file just has no results. */
	ensure(storePath: string): Promise<void> {
		const store = this.entry(storePath);
		// Before the first checkpoint a running CLI has only written its journal.
		if (store.reader || !storeExists(storePath)) return Promise.resolve();
		return store.loading ?? this.load(storePath, store);
	}

	/** Newest first, one per experiment. Call `ensure` first. */
	results(storePath: string, evalId: string, limit = 5): Promise<ResultView[]> {
		const store = this.stores.get(storePath);
		if (!store?.reader) return Promise.resolve([]);
		let views = store.cache.get(evalId);
		if (!views) {
			const cache = store.cache;
			const read = this.read(store.reader, evalId, limit);
			views = read.then((r) => {
				// A failed read is not kept: the next request tries again.
				if (r === undefined && cache.get(evalId) === views) cache.delete(evalId);
				return r ?? [];
			});
			cache.set(evalId, views);
		}
		return views;
	}

	async latest(storePath: string, evalId: string): Promise<ResultView | undefined> {
		return (await this.results(storePath, evalId))[0];
	}

	/** The store was written: read it again now; `onChanged` fires when the new read is in place. */
	invalidate(storePath: string): void {
		const store = this.stores.get(storePath);
		if (store && storeExists(storePath)) {
			store.generation++;
			void this.load(storePath, store).then(() => this.onChanged(storePath));
			return;
		}
		if (store) this.install(store, undefined, ++store.generation); // deleted: no results
		this.onChanged(storePath); // not read yet, but lenses may still show nothing for it
	}

	dispose(): void {
		for (const store of this.stores.values()) {
			void store.reader?.close();
		}
		this.stores.clear();
	}

	private load(storePath: string, store: OpenStore, attempt = 0): Promise<void> {
		const generation = store.generation;
		const loading: Promise<void> = this.open(storePath)
			.then(
				(reader) => {
					// A load that started before the installed reader's is stale; a newer one still pending
					// replaces this one when it lands (so a store written faster than it loads still updates).
					if (generation < store.readerGeneration || (store.reader && generation === store.readerGeneration)) {
						void reader.close();
						return;
					}
					const first = !store.reader;
					this.install(store, reader, generation);
					// A reload was announced by `invalidate`; the first read was not.
					if (first) this.onChanged(storePath);
				},
				(error: unknown) => {
					this.log(`[store] cannot read ${storePath}: ${(error as Error).message}`);
					// A store a run is writing can fail a read now and then: read it again in a while, unless a
					// newer change comes first (that one reads it again anyway). A store that stays unreadable is
					// tried a few times, not forever.
					if (attempt < loadRetries)
						setTimeout(
							() => {
								if (store.generation === generation && this.stores.get(storePath) === store)
									void this.load(storePath, store, attempt + 1).then(() => this.onChanged(storePath));
							},
							loadRetryMs * (attempt + 1),
						).unref();
				},
			)
			.finally(() => {
				if (store.loading === loading) store.loading = undefined;
			});
		store.loading = loading;
		return loading;
	}

	private install(store: OpenStore, reader: StoreReader | undefined, generation: number): void {
		const old = store.reader;
		const reads = [...store.cache.values()];
		store.reader = reader;
		store.readerGeneration = generation;
		store.cache = new Map();
		// Reads still running on the old reader finish before it closes.
		if (old) void Promise.allSettled(reads).then(() => old.close());
	}

	/** Undefined when the read failed. */
	private async read(reader: StoreReader, evalId: string, limit: number): Promise<ResultView[] | undefined> {
		try {
			const results = await reader.resultsForEval(evalId, limit);
			const readAt = Date.now();
			return await Promise.all(
				results.map(async ({ experiment, evaluation }) => ({
					readAt,
					experiment,
					evaluation,
					passed: await passedCount(reader, experiment, evalId),
				})),
			);
		} catch (error) {
			this.log(`[store] cannot read results of ${evalId}: ${(error as Error).message}`);
			return undefined;
		}
	}

	private entry(storePath: string): OpenStore {
		let store = this.stores.get(storePath);
		if (!store) {
			store = { reader: undefined, readerGeneration: -1, loading: undefined, generation: 0, cache: new Map() };
			this.stores.set(storePath, store);
		}
		return store;
	}
}

async function passedCount(reader: StoreReader, experiment: string, evalId: string): Promise<number | null> {
	try {
		// No sample wanted: the count comes from the catalog's per-segment counts, no segment is opened.
		return (await reader.samples(experiment, evalId, { filter: 'passed', limit: 0 })).total;
	} catch {
		return null;
	}
}
