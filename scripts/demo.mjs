// `npm run demo`: runs the async tutorial's steps exactly as the README's tutorial section shows them,
// from examples/ into its default store (examples/.doteval/), then `doteval show`s each one.
// Builds the runtime first when runtime/dist is missing or older than its sources.
// The tutorial's five experiments are deleted first so every demo shows fresh timings.
// DOTEVAL_EXAMPLE_LATENCY_SCALE=0.1 makes every simulated call 10× shorter.
import { existsSync, statSync, readdirSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const examples = path.join(root, 'examples');
const cli = path.join(root, 'runtime', 'dist', 'cli.js');

function newestMtime(dir) {
	let newest = 0;
	for (const entry of readdirSync(dir, { withFileTypes: true })) {
		const full = path.join(dir, entry.name);
		newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : statSync(full).mtimeMs);
	}
	return newest;
}

function ensureBuilt() {
	if (existsSync(cli) && statSync(cli).mtimeMs >= newestMtime(path.join(root, 'runtime', 'src'))) return;
	console.error('demo: building the runtime (node esbuild.mjs --no-types)');
	const result = spawnSync(process.execPath, ['esbuild.mjs', '--no-types'], { cwd: root, stdio: 'inherit' });
	if (result.status !== 0) process.exit(result.status ?? 1);
}

function doteval(args, { allowFail = false } = {}) {
	console.log(`\n$ npx doteval ${args.join(' ')}`);
	const started = performance.now();
	const result = spawnSync('npx', ['--no-install', 'doteval', ...args], { cwd: examples, stdio: 'inherit' });
	const seconds = (performance.now() - started) / 1000;
	if (result.status !== 0 && !allowFail) {
		console.error(`demo: \`doteval ${args.join(' ')}\` exited with ${result.status}`);
		process.exit(result.status ?? 1);
	}
	return seconds;
}

const steps = [
	{ step: 'Step 1: the slow sync baseline', file: 'eval_slow_sync.ts', experiment: 'sync_baseline' },
	{ step: 'Step 2: async, still sequential by default', file: 'eval_async_sentiment.ts', experiment: 'async_basic' },
	{ step: 'Step 3: SlidingWindow({ maxConcurrency: 4 })', file: 'eval_concurrent_sentiment.ts::evalConcurrentSentiment', experiment: 'concurrent_test' },
	{ step: 'Step 5: SlidingWindow({ maxConcurrency: 8 })', file: 'eval_concurrent_sentiment.ts::evalHighConcurrency', experiment: 'high_concurrency' },
	{ step: 'Step 6: a real async API (local HTTP server)', file: 'eval_real_async.ts', experiment: 'real_api' },
];

ensureBuilt();
for (const { experiment } of steps) {
	spawnSync(process.execPath, [cli, 'delete', experiment, '--yes'], { cwd: examples, stdio: 'ignore' });
}
const times = [];
for (const { step, file, experiment } of steps) {
	console.log(`\n=== ${step}`);
	times.push(doteval(['run', file, '--experiment', experiment]));
}
console.log('\n=== Step 4: measure the improvements');
for (const { experiment } of steps) doteval(['show', experiment]);
console.log('\nwhole-command times (including Node start-up):');
steps.forEach(({ experiment }, i) => console.log(`  ${experiment.padEnd(17)} ${times[i].toFixed(2)} s`));
