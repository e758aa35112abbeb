/**
 * Load errors of runs in the Problems view, at the line that threw (the runtime reads it from the
 * source-mapped stack): the language server cannot know them, since it never runs the file. A file's
 * problem stays until a later run loads that file.
 */
import * as vscode from 'vscode';
import type { RunService } from './runService';

export function reportLoadProblems(runs: RunService): vscode.Disposable {
	const problems = vscode.languages.createDiagnosticCollection('doteval run');
	const subscription = runs.onAction(({ action }) => {
		if (action.kind === 'eval-started') {
			problems.delete(vscode.Uri.file(action.eval.file));
		} else if (action.kind === 'load-error') {
			const line = Math.max(0, (action.line ?? 1) - 1);
			const column = Math.max(0, (action.column ?? 1) - 1);
			// The first line is the error; the stack under it is in the log and the Test Results.
			const [headline] = action.message.split('\n');
			const diagnostic = new vscode.Diagnostic(
				new vscode.Range(line, column, line, Number.MAX_SAFE_INTEGER),
				`${headline} (while loading the eval file)`,
				vscode.DiagnosticSeverity.Error,
			);
			diagnostic.source = 'doteval run';
			problems.set(vscode.Uri.file(action.file), [diagnostic]);
		}
	});
	return vscode.Disposable.from(subscription, problems);
}
