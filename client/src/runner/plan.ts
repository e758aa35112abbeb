/**
 * Turns "run these files / evals / samples" into CLI invocations: one per project root (the folder
 * with the nearest package.json, where the runtime and the store live), selectors relative to it.
 * Pure apart from the injected `exists`.
 */
import * as path from 'node:path';
import { findProjectRoot } from '../../../runtime/src/contracts/evalId.js';
import type { RunRequest } from './cliArgs';

export type RunTarget =
	| { kind: 'path'; path: string }
	/** `evalId` is relative to the project root (`<path>::<name>`), as the server and runtime compute it. */
	| { kind: 'eval'; file: string; evalId: string };

export interface RunPlan extends RunRequest {
	projectRoot: string;
	/** A file or folder to resolve the runtime from. */
	anchor: string;
}

export interface PlanOptions {
	samples?: number;
	onlySamples?: number[];
	concurrency?: number;
	experiment?: string;
	storage?: string;
	rerun?: boolean;
}

const toPosix = (p: string) => p.split(path.sep).join('/');

export function planRuns(targets: readonly RunTarget[], options: PlanOptions, exists: (p: string) => boolean, isDirectory: (p: string) => boolean): RunPlan[] {
	const byRoot = new Map<string, RunPlan>();
	for (const target of targets) {
		const file = target.kind === 'eval' ? target.file : target.path;
		// findProjectRoot starts at the file's folder; for a folder target start inside the folder.
		const root = findProjectRoot(isDirectory(file) ? path.join(file, '_') : file, exists);
		let plan = byRoot.get(root);
		if (!plan) {
			plan = { projectRoot: root, anchor: file, selectors: [], ...options };
			byRoot.set(root, plan);
		}
		const rel = toPosix(path.relative(root, file)) || '.';
		const selector = target.kind === 'eval' ? target.evalId : rel;
		if (!plan.selectors.includes(selector)) plan.selectors.push(selector);
	}
	return [...byRoot.values()];
}
