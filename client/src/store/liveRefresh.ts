/**
 * During a run the store changes with every batch of samples: refresh what shows it (history, panels,
 * lenses) at most once a second while samples stream, and at once when an evaluation or the run ends.
 * The file watcher does this too; this path does not depend on the file system reporting changes.
 */
import * as vscode from 'vscode';
import type { RunService, RunSession } from '../runner/runService';
import type { StoreAccess } from './storeAccess';

export function refreshDuringRuns(runs: RunService, stores: StoreAccess, notify: (storePath: string) => void, intervalMs = 1000): vscode.Disposable {
	const storageOf = new WeakMap<RunSession, string>();
	const timers = new Map<string, NodeJS.Timeout>();
	const refresh = (storePath: string) => {
		clearTimeout(timers.get(storePath));
		timers.delete(storePath);
		stores.changed(storePath);
		notify(storePath);
	};
	const subscription = runs.onAction(({ session, action }) => {
		if (action.kind === 'run-started') {
			storageOf.set(session, action.storage);
			stores.remember(action.storage);
			return;
		}
		const storePath = storageOf.get(session);
		if (!storePath) return;
		// Re-reading a big store costs time in the extension host: keep that under a tenth of the time.
		const interval = Math.max(intervalMs, 10 * stores.openCostMs(storePath));
		if (action.kind === 'sample-ended' && !timers.has(storePath)) timers.set(storePath, setTimeout(() => refresh(storePath), interval));
		// The CLI makes an evaluation's samples durable before it reports the evaluation's end.
		if (action.kind === 'eval-ended' || action.kind === 'run-ended') refresh(storePath);
	});
	return new vscode.Disposable(() => {
		subscription.dispose();
		for (const t of timers.values()) clearTimeout(t);
	});
}
