/**
 * The extension's read access to doteval stores (SQLite files written by `doteval run`). Readers are
 * opened lazily (never during activation), cached per file, and reopened after the store changed,
 * because a reader is a snapshot of the file plus its journals at the time it was opened.
 */
import * as vscode from 'vscode';
import * as path from 'node:path';
import { storeExists } from '../../../runtime/src/contracts/storage.js';
import { storeFolderFor } from './storePath';
import type { StoreReader } from '../../../runtime/src/store/types.js';
import { storageSetting } from '../config';
import type { Log } from '../log';

export type StoreOpener = (storePath: string) => Promise<StoreReader>;

export class StoreAccess implements vscode.Disposable {
	private readonly readers = new Map<string, Promise<StoreReader | undefined>>();
	private readonly extraStores = new Set<string>();
	private readonly openCost = new Map<string, number>();
	private readonly changeEmitter = new vscode.EventEmitter<string>();
	/** A store file (path) changed: readers were dropped; re-read what you show. */
	readonly onDidChange = this.changeEmitter.event;

	constructor(
		private readonly open: StoreOpener,
		private readonly log: Log,
	) {}

	/** The store folder an eval file's runs write to: the rule the CLI and the server share (contracts/storage.ts). */
	storePathFor(file: string): string {
		return storeFolderFor(file, undefined, storageSetting(file));
	}

	/** A store a run reported (run-start's `storage`), so history shows it even if it lives elsewhere. */
	remember(storePath: string): void {
		if (!this.extraStores.has(storePath)) {
			this.extraStores.add(storePath);
			this.changed(storePath);
		}
	}

	/** Every store the workspace uses: one per workspace folder's project root, plus those seen in runs. */
	knownStores(): string[] {
		const folders = vscode.workspace.workspaceFolders ?? [];
		const paths = folders.map((f) => this.storePathFor(path.join(f.uri.fsPath, '_')));
		return [...new Set([...paths, ...this.extraStores])];
	}

	/** The reader of a store, or undefined when the store does not exist yet or cannot be read (logged). */
	reader(storePath: string): Promise<StoreReader | undefined> {
		let reader = this.readers.get(storePath);
		if (!reader) {
			const opening = this.openReader(storePath);
			this.readers.set(storePath, opening);
			// "No store yet" is not cached: the store may appear without a watcher event reaching us
			// (its folder did not exist when the watcher started), and the next call must look again.
			void opening.then((r) => {
				if (!r && this.readers.get(storePath) === opening) this.readers.delete(storePath);
			});
			reader = opening;
		}
		return reader;
	}

	/** How long the last open of this store took (ms): a large store is re-read less often during a run. */
	openCostMs(storePath: string): number {
		return this.openCost.get(storePath) ?? 0;
	}

	/** The store was written: drop the cached reader and tell listeners. */
	changed(storePath: string): void {
		const old = this.readers.get(storePath);
		this.readers.delete(storePath);
		// Open panels still hold the old reader until they get the new one: close it a little later.
		if (old) setTimeout(() => void old.then((r) => r?.close()), 10_000).unref();
		this.changeEmitter.fire(storePath);
	}

	private async openReader(storePath: string): Promise<StoreReader | undefined> {
		if (!storeExists(storePath)) return undefined;
		const started = performance.now();
		try {
			const reader = await this.open(storePath);
			const ms = performance.now() - started;
			this.openCost.set(storePath, ms);
			this.log.debug(`opened store ${storePath} in ${Math.round(ms)} ms`);
			return reader;
		} catch (error) {
			this.log.error(`cannot read the store ${storePath}: ${(error as Error).message}`);
			return undefined;
		}
	}

	dispose(): void {
		for (const reader of this.readers.values()) void reader.then((r) => r?.close());
		this.readers.clear();
		this.changeEmitter.dispose();
	}
}
