/**
 * The one path by which the extension learns that a store changed. Two sources feed it: the file
 * system (a run from a terminal, a rename in another window) and the events of runs started here
 * (which do not depend on the file system reporting changes); both go through one throttle per store
 * into `StoreAccess.changed`, whose listeners are history, panels and the language server's lenses.
 */
import * as vscode from 'vscode';
import * as path from 'node:path';
import type { RunService, RunSession } from '../runner/runService';
import { ChangeThrottle } from './changeThrottle';
import type { StoreAccess } from './storeAccess';
import { isPostgresUrl } from '../../../runtime/src/contracts/storage.js';

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
		void stores
			.reader(storePath)
			.then((reader) => (reader && 'changeStamp' in reader ? (reader as { changeStamp(): Promise<string> }).changeStamp() : undefined))
			.then(
				(stamp) => {
					if (stamp !== undefined && last !== undefined && stamp !== last) changed();
					last = stamp ?? last;
				},
				() => {},
			)
			.finally(() => (busy = false));
	}, everyMs);
	timer.unref();
	return timer;
}

export function watchStoreChanges(stores: StoreAccess, runs: RunService, intervalMs = 500): vscode.Disposable {
	const throttle = new ChangeThrottle((storePath) => stores.changed(storePath));
	// Re-reading a big store costs time in the extension host: keep that under a tenth of the time.
	const interval = (storePath: string) => Math.max(intervalMs, 10 * stores.openCostMs(storePath));

	const watchers = new Map<string, vscode.FileSystemWatcher>();
	const polled = new Map<string, NodeJS.Timeout>();
	const watchAll = () => {
		for (const storePath of stores.knownStores()) {
			if (watchers.has(storePath) || polled.has(storePath)) continue;
			if (isPostgresUrl(storePath)) {
				polled.set(
					storePath,
					pollTeamStore(stores, storePath, () => throttle.change(storePath, interval(storePath))),
				);
				continue;
			}
			// The store's folder, watched from its parent (it may not exist yet): its files are replaced
			// by rename and journals (journals/*.jsonl) come and go.
			const folder = storePath;
			const watcher = vscode.workspace.createFileSystemWatcher(
				new vscode.RelativePattern(vscode.Uri.file(path.dirname(folder)), `${path.basename(folder)}/**`),
			);
			const onEvent = () => throttle.change(storePath, interval(storePath));
			watcher.onDidChange(onEvent);
			watcher.onDidCreate(onEvent);
			watcher.onDidDelete(onEvent);
			watchers.set(storePath, watcher);
		}
	};

	const storageOf = new WeakMap<RunSession, string>();
	const runEvents = runs.onAction(({ session, action }) => {
		if (action.kind === 'run-started') {
			storageOf.set(session, action.storage);
			stores.remember(action.storage);
			return;
		}
		const storePath = storageOf.get(session);
		if (!storePath) return;
		// The CLI makes an evaluation's samples durable before it reports the evaluation's end.
		if (action.kind === 'eval-ended' || action.kind === 'run-ended') throttle.change(storePath, 0, true);
		else if (action.kind === 'sample-ended') throttle.change(storePath, Math.max(1000, interval(storePath)));
	});

	watchAll();
	const subscriptions = [
		runEvents,
		stores.onDidChange(watchAll),
		vscode.workspace.onDidChangeWorkspaceFolders(watchAll),
		vscode.workspace.onDidChangeConfiguration((e) => e.affectsConfiguration('doteval.storagePath') && watchAll()),
	];
	return new vscode.Disposable(() => {
		for (const w of watchers.values()) w.dispose();
		for (const p of polled.values()) clearInterval(p);
		throttle.dispose();
		for (const s of subscriptions) s.dispose();
	});
}
