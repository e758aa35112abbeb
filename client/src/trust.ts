/**
 * Workspace trust: running or debugging an eval executes the workspace's code (the eval file, its
 * fixtures and the runtime in node_modules), so it needs a trusted workspace. Everything that only
 * reads (discovery, lenses, history, panels) works without trust.
 */
import * as vscode from 'vscode';

export const untrustedMessage =
	"doteval does not run or debug evals in an untrusted workspace: that would execute the workspace's code. " + 'Trust this workspace to run evals.';

/** True when running is allowed; otherwise explains why (with a button to manage trust) and returns false. */
export function ensureTrusted(log: vscode.LogOutputChannel): boolean {
	if (vscode.workspace.isTrusted) return true;
	log.warn(untrustedMessage);
	void vscode.window.showWarningMessage(untrustedMessage, 'Manage Workspace Trust').then((choice) => {
		if (choice) void vscode.commands.executeCommand('workbench.trust.manage');
	});
	return false;
}
