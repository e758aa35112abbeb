/**
 * An esbuild plugin for eval files that import `doteval` without having it installed (a scratch
 * folder, or the VS Code extension running its bundled copy of the runtime): such imports resolve to
 * the running CLI's own runtime files. Where the project has `doteval` in a node_modules folder above
 * the eval file, the import stays as written and Node resolves that copy.
 */
import type { Plugin } from 'esbuild';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** The runtime's public entry points, as built next to cli.js in runtime/dist. */
const entryFiles: Record<string, string> = {
	'': 'index.js',
	'/evaluators': 'evaluators.js',
	'/concurrency': 'concurrency.js',
	'/datasets': 'datasets.js',
	'/models': 'models.js',
	'/events': 'events.js',
	'/runner': 'runner.js',
};

export function hasInstalledDoteval(fromDir: string): boolean {
	for (let dir = fromDir; ; dir = path.dirname(dir)) {
		if (existsSync(path.join(dir, 'node_modules', 'doteval', 'package.json'))) return true;
		if (path.dirname(dir) === dir) return false;
	}
}

/** The folder holding the running runtime's built entry points (runtime/dist when run from cli.js). */
export function ownRuntimeDir(): string {
	const dir = path.dirname(fileURLToPath(import.meta.url));
	// Code splitting puts this module in a chunk (dist/chunks/): the entry points are one level up.
	return path.basename(dir) === 'chunks' ? path.dirname(dir) : dir;
}

export function dotevalFallbackPlugin(runtimeDir = ownRuntimeDir()): Plugin {
	return {
		name: 'doteval-fallback',
		setup(build) {
			build.onResolve({ filter: /^doteval(\/[a-z]+)?$/ }, (args) => {
				// Installed: keep the import for Node to resolve, even where a tsconfig "paths" entry maps
				// doteval to its sources (as examples/ does for the editor): bundling a second copy of the
				// runtime into the eval file would split its module state and slow every load.
				if (hasInstalledDoteval(args.resolveDir)) return { path: args.path, external: true };
				const entry = entryFiles[args.path.slice('doteval'.length)];
				const file = entry && path.join(runtimeDir, entry);
				if (!file || !existsSync(file)) return undefined; // let Node report the missing package
				return { path: pathToFileURL(file).href, external: true };
			});
		},
	};
}
