/**
 * Watches the store folders (catalog, evaluation files, journals) and tells StoreAccess and the language server when
 * they change, throttled: a running CLI appends to its journal many times a second.
 */
import * as vscode from 'vscode';
import * as path from 'node:path';
import type { StoreAccess } from './storeAccess';
import { isPostgresUrl } from '../../../runtime/src/store/postgres/location';

/**
 * A PostgreSQL store has no files to watch: ask it every few seconds for its change stamp (one cheap
 * query), and report a change when the stamp moved (runs of other machines, renames, deletes).
 */
function pollTeamStore(stores: StoreAccess, storePath: string, changed: () => void, everyMs = 3000): NodeJS.Timeout {
	let last: string | undefined;
	let busy = false;
	const timer = setInterval(() => {
		if (busy) return;
		busy = true;
		void stores.reader(storePath)
			.then((reader) => (reader && 'changeStamp' in reader ? (reader as { changeStamp(): Promise<string> }).changeStamp() : undefined))
			.then((stamp) => {
				if (stamp !== undefined && last !== undefined && stamp !== last) changed();
				last = stamp ?? last;
			}, () => {})
			.finally(() => (busy = false));
	}, everyMs);
	timer.unref();
	return timer;
}

export function watchStores(stores: StoreAccess, notify: (storePath: string) => void, intervalMs = 500): vscode.Disposable {
	const watchers = new Map<string, vscode.FileSystemWatcher>();
	const polled = new Map<string, NodeJS.Timeout>();
	const timers = new Map<string, NodeJS.Timeout>();
	// Throttled, not debounced: a terminal run appends all the time, and should still show while it runs.
	const fire = (storePath: string) => {
		if (timers.has(storePath)) return;
		timers.set(storePath, setTimeout(() => {
			timers.delete(storePath);
			stores.changed(storePath);
			notify(storePath);
		}, Math.max(intervalMs, 10 * stores.openCostMs(storePath))));
	};
	const watchAll = () => {
		for (const storePath of stores.knownStores()) {
			if (watchers.has(storePath) || polled.has(storePath)) continue;
			if (isPostgresUrl(storePath)) {
				polled.set(storePath, pollTeamStore(stores, storePath, () => fire(storePath)));
				continue;
			}
			// The store's folder, watched from its parent (it may not exist yet): its files are replaced
			// by rename and journals (journals/*.jsonl) come and go.
			const folder = storePath;
			const pattern = new vscode.RelativePattern(vscode.Uri.file(path.dirname(folder)), `${path.basename(folder)}/**`);
			const watcher = vscode.workspace.createFileSystemWatcher(pattern);
			const onEvent = () => fire(storePath);
			watcher.onDidChange(onEvent);
			watcher.onDidCreate(onEvent);
			watcher.onDidDelete(onEvent);
			watchers.set(storePath, watcher);
		}
	};
	watchAll();
	const subscriptions = [stores.onDidChange(watchAll), vscode.workspace.onDidChangeWorkspaceFolders(watchAll), vscode.workspace.onDidChangeConfiguration((e) => e.affectsConfiguration('doteval.storagePath') && watchAll())];
	return new vscode.Disposable(() => {
		for (const w of watchers.values()) w.dispose();
		for (const p of polled.values()) clearInterval(p);
		for (const t of timers.values()) clearTimeout(t);
		for (const s of subscriptions) s.dispose();
	});
}
