/**
 * A status bar item while a run is going: `doteval 3/8 · 66.7 %` (progress and live accuracy).
 * Clicking it offers to cancel the run or show the log.
 */
import * as vscode from 'vscode';
import type { RunService } from '../runner/runService';
import { formatProgress } from './formatProgress';
import { Commands } from '../../../runtime/src/contracts/editorProtocol.js';

export function createRunStatus(runs: RunService, log: vscode.LogOutputChannel): vscode.Disposable {
	const item = vscode.window.createStatusBarItem('doteval.run', vscode.StatusBarAlignment.Left, 50);
	item.name = 'doteval run';
	item.command = Commands.showRunMenu;
	let pending: NodeJS.Timeout | undefined;
	const render = () => {
		pending = undefined;
		const session = [...runs.sessions].at(-1);
		if (!session) {
			item.hide();
			return;
		}
		item.text = `$(sync~spin) ${formatProgress(session.tracker.progress, session.tracker.accuracy())}`;
		item.tooltip = `doteval is running ${session.plan.selectors.join(' ') || 'every eval'}${session.tracker.progress.experiment ? ` (experiment ${session.tracker.progress.experiment})` : ''}. Click to cancel or show the log.`;
		item.show();
	};
	// Samples can finish thousands of times a second: repaint at most every 100 ms.
	const schedule = () => {
		pending ??= setTimeout(render, 100);
	};
	const menu = vscode.commands.registerCommand(Commands.showRunMenu, async () => {
		const choice = await vscode.window.showQuickPick(
			[
				{ label: '$(debug-stop) Cancel the run', id: 'cancel' },
				{ label: '$(output) Show the log', id: 'log' },
			],
			{ placeHolder: 'doteval run' },
		);
		if (choice?.id === 'cancel') {
			log.info('cancel requested from the status bar');
			runs.cancelAll();
		} else if (choice?.id === 'log') {
			log.show(true);
		}
	});
	return vscode.Disposable.from(item, menu, runs.onAction(schedule), runs.onSessionsChanged(schedule), new vscode.Disposable(() => clearTimeout(pending)));
}
