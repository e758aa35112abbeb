// `doteval run` start-up: a tiny TypeScript eval file with one sample, run by `doteval run` (spawn →
// exit: CLI, esbuild transform of the .ts — or the CLI's cache of it —, store open + write, report),
// with the compile cache and without it (the first run after an edit) against `node` running the same
// eval as plain JavaScript (the library loaded, the one sample called directly), and `node -e 0`.
import { mkdirSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import * as path from 'node:path';
import { alternate } from './lib/alternate.mjs';
import { measureProcess } from './lib/proc.mjs';
import { cli, workDir } from './lib/snapshot.mjs';

// Next to the snapshot's node_modules, so that `import 'doteval'` resolves to it, as in a project.
const work = workDir('startup');

const evalTs = `import { foreach, Result } from 'doteval';
import { exactMatch } from 'doteval/evaluators';

const data: [string, string][] = [['hello', 'hello']];
export const evalTiny = foreach('text,expected', data)(
	async ({ text, expected }: { text: string; expected: string }) => new Result(exactMatch(text, expected)),
);
`;
const plainJs = `import { foreach, Result } from 'doteval';
import { exactMatch } from 'doteval/evaluators';

const data = [['hello', 'hello']];
const fn = async ({ text, expected }) => new Result(exactMatch(text, expected));
export const evalTiny = foreach('text,expected', data)(fn);
// What doteval run adds is everything around this call: run the one sample directly.
const result = await fn({ text: data[0][0], expected: data[0][1] });
console.log(JSON.stringify(result.scores ?? result));
`;

export async function run(ctx) {
	const group = 'Start-up';
	if (!existsSync(cli)) return [ctx.notMeasured(group, '`doteval run` vs node', 'runtime/dist/cli.js not built', '≤ 1.6× node')];
	rmSync(work, { recursive: true, force: true });
	mkdirSync(work, { recursive: true });
	writeFileSync(path.join(work, 'package.json'), '{ "private": true, "type": "module" }\n');
	writeFileSync(path.join(work, 'tiny.eval.ts'), evalTs);
	writeFileSync(path.join(work, 'tiny.plain.mjs'), plainJs);
	const store = path.join(work, 'store.db');
	const spawnOk =
		(args, env = process.env) =>
		async () => {
			const r = await measureProcess(process.execPath, args, { cwd: work, env });
			if (r.code !== 0) throw new Error(`${args.join(' ')} exited ${r.code}: ${(r.stderr || r.stdout).slice(-800)}`);
			return { ...r, value: r.wallMs };
		};
	const variants = [
		{ name: 'doteval', run: spawnOk([cli, 'run', 'tiny.eval.ts', '--storage', store]) },
		// The first run after an edit: the CLI's cache of compiled eval files off, so esbuild runs.
		{ name: 'uncached', run: spawnOk([cli, 'run', 'tiny.eval.ts', '--storage', store], { ...process.env, DOTEVAL_NO_COMPILE_CACHE: '1' }) },
		{ name: 'node', run: spawnOk(['tiny.plain.mjs']) },
		{ name: 'empty', run: spawnOk(['-e', '0']) },
	];
	for (const v of variants) await v.run(); // warm-up (creates the store, fills the page cache)
	const rounds = ctx.quick ? 3 : 10;
	ctx.log(`startup: doteval run vs node, ${rounds} rounds`);
	const r = await alternate(variants, { rounds, log: ctx.log });
	return [
		ctx.row({
			group,
			name: '`doteval run` tiny.eval.ts (1 sample), spawn → exit / `node` same eval as plain .mjs',
			figure: ctx.series(r.doteval.values, 'ms'),
			baseline: ctx.series(r.node.values, 'ms'),
			baselineLabel: 'node',
			ratio: ctx.paired(r.doteval.values, r.node.values),
			goal: { op: '<=', value: 1.6, text: '≤ 1.6× node' },
			otherCores: r.otherCores,
			note: `unchanged file (the CLI's compile cache, filled by the warm-up, is used); \`node -e 0\`: ${ctx.fmtSeries(r.empty.values, 'ms')}; doteval peak RSS ${ctx.fmtSeries(
				r.doteval.extras.map((e) => e.peakRssMb),
				'MB',
			)}`,
		}),
		ctx.row({
			group,
			name: '`doteval run` tiny.eval.ts after an edit (compile cache off: esbuild runs) / `node` same eval as plain .mjs',
			figure: ctx.series(r.uncached.values, 'ms'),
			baseline: ctx.series(r.node.values, 'ms'),
			baselineLabel: 'node',
			ratio: ctx.paired(r.uncached.values, r.node.values),
			goal: { op: '<=', value: 1.6, text: '≤ 1.6× node' },
			otherCores: r.otherCores,
			note: 'DOTEVAL_NO_COMPILE_CACHE=1, as for the first run after each edit of the file',
		}),
	];
}
