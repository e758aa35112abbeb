// Extension activation: the extension logs "activated in N ms" to its output channel; the VS Code
// end-to-end run (`npm run test:e2e`, code-server) keeps those logs under test-results/e2e/logs/, and
// the figures it measures in the editor (first lens, lens lag: test/e2e/figures.mjs) in
// test-results/e2e/figures.json. We read them — this benchmark starts no editor — and say when and
// under what load they were taken. The first lens of a cold server over LSP, measured here against a
// plain LSP server, is bench/lsp.mjs's row.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { repoRoot } from './lib/build.mjs';

const logsDir = path.join(repoRoot, 'test-results/e2e/logs');
const figuresFile = path.join(repoRoot, 'test-results/e2e/figures.json');

/** Issue 11's editor figures, as the e2e suite measured them in code-server. */
const editorFigures = [
	{
		key: 'firstLens',
		name: 'first CodeLens in VS Code (folder opened, file visible → Run lens visible; e2e, code-server)',
		goal: { op: '<=', value: 2000, on: 'figure', text: '≤ 2 s (issue 11)' },
	},
	{
		key: 'firstLensWarm',
		name: 'first CodeLens in VS Code after a window reload (V8 code cache warm; file visible → Run lens visible; e2e, code-server)',
		goal: { op: '<=', value: 2000, on: 'figure', text: '≤ 2 s (issue 11)' },
	},
	{
		key: 'lensLag',
		name: "lens lag in VS Code (a run's end → its result lens visible; e2e, code-server)",
		goal: { op: '<=', value: 300, on: 'figure', text: '≤ 300 ms (issue 11)' },
	},
];

function editorRows(ctx, group) {
	const all = existsSync(figuresFile) ? JSON.parse(readFileSync(figuresFile, 'utf8')) : {};
	return editorFigures.map(({ key, name, goal }) => {
		const found = all[key] ?? [];
		if (!found.length) return ctx.notMeasured(group, name, 'no test-results/e2e/figures.json entry (run `npm run test:e2e -- e2e/run.e2e` first)', goal.text);
		const loads = found.map((f) => f.load1.toFixed(1)).join(', ');
		return ctx.row({
			group,
			name,
			figure: ctx.series(
				found.map((f) => f.ms),
				'ms',
			),
			goal,
			note: `read from the e2e run of ${found.at(-1).at} (${found.length} measurement${found.length > 1 ? 's' : ''}; 1-min load average then: ${loads} on ${os.availableParallelism()} cores), not measured by this bench run; ${found[0].note}`,
		});
	});
}

function logFiles(dir) {
	if (!existsSync(dir)) return [];
	return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
		const full = path.join(dir, e.name);
		return e.isDirectory() ? logFiles(full) : e.name.endsWith('.log') ? [full] : [];
	});
}

export async function run(ctx) {
	const group = 'Extension';
	const name = 'activation time (the extension\'s "activated in N ms" log line)';
	const goal = { op: '<=', value: 100, on: 'figure', text: "≤ 100 ms (the e2e suite's goal)" };
	const found = [];
	let newest = 0;
	for (const file of logFiles(logsDir)) {
		for (const m of readFileSync(file, 'utf8').matchAll(/activated in (\d+(?:\.\d+)?) ?ms/g)) {
			found.push(Number(m[1]));
			newest = Math.max(newest, statSync(file).mtimeMs);
		}
	}
	if (!found.length) {
		return [
			ctx.notMeasured(group, name, 'not measured in this run: no e2e logs in test-results/e2e/logs (run `npm run test:e2e` first)', goal.text),
			...editorRows(ctx, group),
		];
	}
	return [
		...editorRows(ctx, group),
		ctx.row({
			group,
			name,
			figure: ctx.series(found, 'ms'),
			goal,
			note: `read from the e2e run's logs written ${new Date(newest).toISOString()} (${found.length} activations in code-server), not measured by this bench run`,
		}),
	];
}
