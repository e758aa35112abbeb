// A 1,000,000-sample `doteval run` (--quick: 100,000): a JSONL dataset streamed from a file generated
// here, a mock model that waits 1 ms, SlidingWindow(1000), the default pretty reporter (not a TTY: no
// animation), the real store. Whole-process wall time and peak RSS; run once (it is slow).
import { createWriteStream, existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { once } from 'node:events';
import * as path from 'node:path';
import { measureProcess } from './lib/proc.mjs';
import { waitForQuiet } from './lib/quiet.mjs';
import { cacheDir, cli, workDir } from './lib/snapshot.mjs';

const work = workDir('million');

const evalTs = `import { ForEach, Result } from 'doteval';
import { exactMatch } from 'doteval/evaluators';
import { SlidingWindow } from 'doteval/concurrency';
import { jsonl } from 'doteval/datasets';
import { setTimeout as sleep } from 'node:timers/promises';

function classify(text: string): string {
	const t = text.toLowerCase();
	if (['great', 'amazing', 'excellent'].some((w) => t.includes(w))) return 'positive';
	if (['terrible', 'awful', 'bad'].some((w) => t.includes(w))) return 'negative';
	return 'neutral';
}

const foreachWide = new ForEach({ concurrency: new SlidingWindow({ maxConcurrency: 1000 }) });
export const evalMillion = foreachWide('text,expected', jsonl(process.env.BENCH_DATA as string))(
	async ({ text, expected }: { text: string; expected: string }) => {
		await sleep(1);
		return new Result(exactMatch(classify(text), expected), { prompt: text });
	},
);
`;

/** The dataset, generated once into bench/results/cache (temp file + rename, so a half file never counts). */
async function writeDataset(file, n) {
	if (existsSync(file)) return;
	mkdirSync(path.dirname(file), { recursive: true });
	const tmp = `${file}.${process.pid}.tmp`;
	const rows = [
		['This movie is absolutely amazing!', 'positive'],
		['Terrible plot and awful acting', 'negative'],
		['It was an okay film, nothing special', 'neutral'],
	];
	const out = createWriteStream(tmp);
	for (let i = 0; i < n; i++) {
		const [text, expected] = rows[i % rows.length];
		if (!out.write(`${JSON.stringify({ text: `${text} #${i}`, expected })}\n`)) await once(out, 'drain');
	}
	out.end();
	await once(out, 'finish');
	renameSync(tmp, file);
}

export async function run(ctx) {
	const group = 'Scale';
	const n = ctx.quick ? 100_000 : 1_000_000;
	const label = `${n.toLocaleString('en-US')} samples (1 ms, 1,000 in flight, streamed JSONL)`;
	if (!existsSync(cli)) return [ctx.notMeasured(group, label, 'runtime/dist/cli.js not built', '≤ 200 MB peak RSS')];
	mkdirSync(work, { recursive: true });
	const data = path.join(cacheDir, `million-data-${n}.jsonl`);
	await writeDataset(data, n);
	writeFileSync(path.join(work, 'package.json'), '{ "private": true, "type": "module" }\n');
	writeFileSync(path.join(work, 'million.eval.ts'), evalTs);
	rmSync(path.join(work, 'store'), { recursive: true, force: true });
	mkdirSync(path.join(work, 'store'));
	const before = await waitForQuiet({ timeoutMs: 5000 });
	ctx.log(`million: doteval run over ${n} samples (other load before: ${before.toFixed(2)} cores)`);
	const r = await measureProcess(process.execPath, [cli, 'run', 'million.eval.ts', '--storage', 'store'], {
		cwd: work,
		env: { ...process.env, BENCH_DATA: data },
		timeoutMs: 1_800_000,
	});
	if (r.code !== 0) throw new Error(`doteval run exited ${r.code ?? r.signal}: ${(r.stderr || r.stdout).slice(-1200)}`);
	const samplesLine =
		r.stdout
			.split('\n')
			.find((l) => /samples\s/.test(l))
			?.trim() ?? '';
	const idealS = (n * 1) / 1000 / 1000;
	const other = { max: r.otherCores, median: r.otherCores };
	const wallS = r.wallMs / 1000;
	return [
		ctx.row({
			group,
			name: `${label}: \`doteval run\` peak RSS`,
			figure: ctx.series([r.peakRssMb], 'MB'),
			goal: { op: '<=', value: 200, on: 'figure', text: '≤ 200 MB' },
			otherCores: other,
			note: `one run; whole tree ${Math.round(r.treeRssMb)} MB`,
		}),
		ctx.row({
			group,
			name: `${label}: \`doteval run\` wall time vs ideal (ratio = efficiency)`,
			figure: ctx.series([wallS], 's'),
			baseline: ctx.series([idealS], 's'),
			baselineLabel: 'ideal',
			ratio: ctx.series([idealS / wallS], ''),
			otherCores: other,
			note: `one run; ${Math.round(n / wallS).toLocaleString('en-US')} samples/s; ${samplesLine.replace(/\s+/g, ' ')}`,
		}),
	];
}
