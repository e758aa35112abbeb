// In-process benchmarks need internal modules (the executor, the store writer, discovery) that the
// runtime's public entry points may not export. We bundle them from source with the same esbuild
// and target as esbuild.mjs into bench/results/runs/<pid>/.build/, and import that JavaScript: the measured code
// is exactly what the product build produces, with no tsx loader hooks in the measured process.
import * as esbuild from 'esbuild';
import { existsSync, mkdirSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
// Each bench invocation works in its own folder (see snapshot.mjs); workers inherit it through the environment.
process.env.BENCH_RUN_DIR ??= path.join(repoRoot, 'bench/results/runs', String(process.pid));
export const buildDir = path.join(process.env.BENCH_RUN_DIR, '.build');

/** First of the candidate source files (repo-relative) that exists, or null. */
export function findSource(...candidates) {
	return candidates.find((c) => existsSync(path.join(repoRoot, c))) ?? null;
}

/**
 * Bundle one source entry (repo-relative .ts) to <run folder>/.build/<name>.mjs (ESM, dependencies
 * external) or .cjs; returns the absolute output path. Throws if the entry does not exist.
 * @param {string} entry
 * @param {string} name
 * @param {{ format?: 'esm' | 'cjs' }} [options]
 */
export async function bundleSource(entry, name, { format = 'esm' } = {}) {
	const abs = path.join(repoRoot, entry);
	if (!existsSync(abs)) throw new Error(`${entry} does not exist yet`);
	mkdirSync(buildDir, { recursive: true });
	const outfile = path.join(buildDir, `${name}.${format === 'esm' ? 'mjs' : 'cjs'}`);
	await esbuild.build({
		entryPoints: [abs],
		outfile,
		bundle: true,
		format,
		platform: 'node',
		target: 'node20',
		packages: 'external',
		logLevel: 'error',
		absWorkingDir: repoRoot,
	});
	return outfile;
}

/** Bundle generated module text (resolved from the repository root), e.g. re-exports of several sources. */
export async function bundleText(contents, name) {
	mkdirSync(buildDir, { recursive: true });
	const outfile = path.join(buildDir, `${name}.mjs`);
	await esbuild.build({
		stdin: { contents, resolveDir: repoRoot, sourcefile: `${name}.ts`, loader: 'ts' },
		outfile,
		bundle: true,
		format: 'esm',
		platform: 'node',
		target: 'node20',
		packages: 'external',
		logLevel: 'error',
	});
	return outfile;
}

export async function importBundle(outfile) {
	return import(pathToFileURL(outfile).href);
}
