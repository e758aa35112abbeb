// The built artifacts every benchmark runs, copied once at the start of `bench/run.mjs` into a folder
// of its own, bench/results/runs/<pid>/, so that a rebuild during the bench (esbuild.mjs deletes
// runtime/dist first) cannot pull files from under a measurement, and two bench invocations at once
// do not share work folders. Worker processes find the folder through BENCH_RUN_DIR:
//   snapshot/node_modules/doteval/   runtime/package.json + runtime/dist (what `import 'doteval'` resolves to
//                                    from the work folders below; its dependencies resolve from the root)
//   snapshot/dist/                   dist/server.js + typescript.js + sql-wasm.wasm (the language server)
//   snapshot/work/<benchmark>/       the generated projects the benchmarks run in
import { cpSync, existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import * as path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { repoRoot } from './build.mjs';

const runsDir = path.join(repoRoot, 'bench/results/runs');
// Set by build.mjs (imported above) for this process, inherited by the workers.
export const snapshotDir = process.env.BENCH_RUN_DIR;
/** Files worth keeping between invocations (the generated 1M-line dataset), written atomically. */
export const cacheDir = path.join(repoRoot, 'bench/results/cache');
export const runtimeDir = path.join(snapshotDir, 'node_modules/doteval');
export const runtimeDist = path.join(runtimeDir, 'dist');
export const cli = path.join(runtimeDist, 'cli.js');
export const serverJs = path.join(snapshotDir, 'dist/server.js');
export const workDir = (name) => path.join(snapshotDir, 'work', name);

const sources = {
	runtime: path.join(repoRoot, 'runtime/dist'),
	server: path.join(repoRoot, 'dist/server.js'),
};

function alive(pid) {
	try {
		process.kill(pid, 0);
		return true;
	} catch (e) {
		return e.code === 'EPERM';
	}
}

/** Remove the folders of bench runs whose process is gone (killed runs), and ours at the end. */
export function cleanRuns({ ours = false } = {}) {
	if (!existsSync(runsDir)) return;
	for (const name of readdirSync(runsDir)) {
		const pid = Number(name);
		if ((ours && pid === process.pid) || (Number.isInteger(pid) && pid !== process.pid && !alive(pid))) {
			rmSync(path.join(runsDir, name), { recursive: true, force: true });
		}
	}
}

/** Copy the current build; waits up to 30 s for a build in progress elsewhere. Returns what is missing. */
export async function takeSnapshot(log) {
	for (let waited = 0; !existsSync(path.join(sources.runtime, 'cli.js')) && waited < 30; waited++) {
		if (waited === 0) log('bench: runtime/dist/cli.js missing (a build in progress?); waiting up to 30 s');
		await sleep(1000);
	}
	rmSync(path.join(snapshotDir, 'node_modules'), { recursive: true, force: true });
	rmSync(path.join(snapshotDir, 'dist'), { recursive: true, force: true });
	mkdirSync(runtimeDir, { recursive: true });
	mkdirSync(path.join(snapshotDir, 'dist'), { recursive: true });
	const missing = [];
	if (existsSync(sources.runtime)) {
		cpSync(path.join(repoRoot, 'runtime/package.json'), path.join(runtimeDir, 'package.json'));
		cpSync(sources.runtime, runtimeDist, { recursive: true });
	} else missing.push('runtime/dist');
	if (existsSync(sources.server)) {
		cpSync(sources.server, serverJs);
		// The server requires the compiler from its own folder (esbuild.mjs) and loads its wasm from there.
		for (const file of ['typescript.js', 'sql-wasm.wasm']) {
			const from = path.join(repoRoot, 'dist', file);
			if (existsSync(from)) cpSync(from, path.join(snapshotDir, 'dist', file));
		}
	} else missing.push('dist/server.js');
	return missing;
}
