// `npm run bench`: runs every benchmark, prints ONE table (median of the rounds with min–max, ratios
// against a baseline measured in the same invocation, goals with PASS/MISS) and writes it to
// bench/results/latest.md and latest.json. Options:
//   --quick          fewer rounds and smaller N (a smoke test; not for published figures)
//   --only A[,B]     run only these benchmarks (names below)
//   --update-docs    also paste the generated table into BENCHMARKS.md (between its markers)
//   --keep           keep this run's folder bench/results/runs/<pid>/ (snapshot + work folders)
import { mkdirSync, writeFileSync, readFileSync, existsSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { execFileSync } from 'node:child_process';
import { repoRoot } from './lib/build.mjs';
import { rowHelpers, toMarkdown, toSummary } from './lib/table.mjs';
import { waitForQuiet } from './lib/quiet.mjs';
import { cleanRuns, snapshotDir, takeSnapshot } from './lib/snapshot.mjs';

const BENCHMARKS = ['scheduler', 'startup', 'store', 'million', 'postgres', 'lsp', 'activation', 'peers', 'models'];

const argv = process.argv.slice(2);
const quick = argv.includes('--quick');
const updateDocs = argv.includes('--update-docs');
const onlyIdx = argv.indexOf('--only');
const only = onlyIdx >= 0 ? (argv[onlyIdx + 1] ?? '').split(',').filter(Boolean) : BENCHMARKS;
const unknown = only.filter((n) => !BENCHMARKS.includes(n));
if (unknown.length || (onlyIdx >= 0 && !only.length)) {
	console.error(`bench: unknown benchmark ${unknown.join(', ') || '(none given)'}; --only takes a comma-separated list of: ${BENCHMARKS.join(', ')}`);
	process.exit(2);
}

if (updateDocs && onlyIdx >= 0) {
	console.error('bench: --update-docs pastes the whole table into BENCHMARKS.md; run it without --only');
	process.exit(2);
}

const resultsDir = path.join(repoRoot, 'bench/results');
mkdirSync(resultsDir, { recursive: true });
const log = (msg) => process.stderr.write(`${msg}\n`);

function machine() {
	const cpu = readFileSync('/proc/cpuinfo', 'utf8').match(/model name\s*:\s*(.*)/)?.[1] ?? os.cpus()[0]?.model ?? 'unknown';
	let commit = 'unknown';
	try {
		commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: repoRoot, encoding: 'utf8' }).trim();
	} catch {
		/* not a git checkout */
	}
	return {
		date: new Date().toISOString(),
		nproc: os.availableParallelism(),
		cpu,
		memoryGiB: Math.round(os.totalmem() / 2 ** 30),
		node: process.version,
		platform: `${os.type()} ${os.release()}`,
		commit,
	};
}

const m = machine();
cleanRuns();
const missingBuild = await takeSnapshot(log);
if (missingBuild.length) log(`bench: not built: ${missingBuild.join(', ')} (run \`npm run build\`); the benchmarks that need them say so`);
const startLoad = await waitForQuiet({ timeoutMs: 5000 });
log(`bench: ${quick ? 'QUICK (smoke test) ' : ''}run on ${m.nproc} × ${m.cpu}, Node ${m.node}; other load at start ${startLoad.toFixed(2)} cores`);
const ctx = { quick, rounds: quick ? 2 : 5, log, ...rowHelpers };
const rows = [];
const t0 = performance.now();
for (const name of only) {
	log(`\n== ${name}`);
	const tb = performance.now();
	try {
		const mod = await import(`./${name}.mjs`);
		rows.push(...(await mod.run(ctx)));
	} catch (e) {
		log(e.stack ?? String(e));
		rows.push(rowHelpers.notMeasured(name, 'benchmark failed', String(e.message ?? e).split('\n')[0]));
	}
	log(`== ${name} took ${((performance.now() - tb) / 1000).toFixed(1)} s`);
}
const totalS = (performance.now() - t0) / 1000;
if (!argv.includes('--keep')) cleanRuns({ ours: true });
else log(`bench: kept ${path.relative(repoRoot, snapshotDir)}`);

const header = [
	`Machine: ${m.nproc} cores (\`nproc\`), ${m.cpu}, ${m.memoryGiB} GiB RAM, Node ${m.node}, ${m.platform}; commit ${m.commit}; ${m.date}.`,
	`Run: \`node bench/run.mjs${argv.length ? ` ${argv.join(' ')}` : ''}\`, ${quick ? 'QUICK smoke test (fewer rounds, smaller N)' : `${ctx.rounds} alternating rounds per comparison`}, ${totalS.toFixed(0)} s in all; other load at start ${startLoad.toFixed(2)} cores.`,
	'Figures: median (min–max) over the rounds; a ratio is the median of the per-round ratios of the two variants run side by side.',
].join('\n');
const table = toMarkdown(rows);
const markdown = `${header}\n\n${table}\n`;

writeFileSync(path.join(resultsDir, 'latest.md'), markdown);
writeFileSync(
	path.join(resultsDir, 'latest.json'),
	JSON.stringify({ machine: m, quick, argv, totalSeconds: totalS, startOtherCores: startLoad, rows }, null, '\t'),
);
writeFileSync(path.join(resultsDir, 'BENCHMARKS.table.md'), markdown);
process.stdout.write(
	`\n${markdown}\nWritten: bench/results/latest.md, bench/results/latest.json${updateDocs ? ', BENCHMARKS.md, docs/benchmarks.md (summary)' : ''}\n`,
);

/** Replace the text between two markers of a file we own (BENCHMARKS.md, docs/benchmarks.md); false if absent. */
function pasteBetween(file, open, close, content) {
	const text = existsSync(file) ? readFileSync(file, 'utf8') : '';
	const a = text.indexOf(open);
	const b = text.indexOf(close);
	if (a < 0 || b < a) {
		log(`bench: ${path.relative(repoRoot, file)} has no ${open} … ${close} markers; not updated`);
		process.exitCode = 1;
		return false;
	}
	writeFileSync(file, `${text.slice(0, a + open.length)}\n${content}\n${text.slice(b)}`);
	return true;
}

if (updateDocs) {
	if (quick) log('bench: --update-docs with --quick: the docs now show smoke-test figures');
	pasteBetween(path.join(repoRoot, 'BENCHMARKS.md'), '<!-- bench:table -->', '<!-- /bench:table -->', markdown);
	const summary = `${m.nproc} cores, ${m.cpu}, Node ${m.node}, ${m.date.slice(0, 10)}${quick ? ' (QUICK smoke test)' : ''}:\n\n${toSummary(rows)}`;
	pasteBetween(path.join(repoRoot, 'docs', 'benchmarks.md'), '<!-- bench:summary -->', '<!-- /bench:summary -->', summary);
}
