/**
 * `doteval compare EXP…`: one side-by-side table of several experiments — per evaluation its
 * metrics with intervals, errors and timing (wall, samples/s, latency, concurrency, speedup), and
 * which dataset it scored, so prompt, model or concurrency variants read in one place.
 */
import type { Command } from '../command.js';
import { parseCommandArgs, requirePositional } from '../format/argsExtra.js';
import { ExitCode } from '../../protocol/events.js';
import type { EvaluationInfo } from '../../store/index.js';
import { formatStrategy } from '../../reporters/prettyFormat.js';
import { formatDuration } from '../../contracts/format.js';
import { formatTable } from '../format/table.js';
import { makeStyle, statusText } from '../format/style.js';
import { guarded, isNamed, NotFound, selectEvaluations, withReader } from '../format/storeCli.js';

const usage = `Usage: doteval compare EXPERIMENT... [--evaluation NAME] [--json] [--storage PATH]

One table for several experiments: a row per evaluation with its metrics (95 % intervals), errors,
wall time, samples/s, latency p50/p95, concurrency, speedup over one at a time (sum of latencies
/ wall), how many times faster than the first row it ran (vs 1st: first wall / this wall), and the
dataset it scored (a short fingerprint: equal means the same rows). For sample-by-sample differences of two
of them, use doteval diff.

Options:
  --evaluation NAME  only evaluations with this name or id
  --json             machine-readable output
  --storage PATH     the store folder (default: <project root>/.doteval/, or $DOTEVAL_STORAGE)

Example:
  doteval compare sync_baseline async_basic concurrent_test
`;

export interface CompareRow {
	experiment: string;
	evaluation: EvaluationInfo;
}

const fixed = (n: number) => n.toFixed(3);

/** The table's text: pure, for tests and the editor alike. */
export function formatCompareTable(rows: readonly CompareRow[], style = makeStyle(false)): string {
	const metricNames: string[] = [];
	for (const { evaluation } of rows) {
		for (const m of evaluation.summary.metrics) {
			const name = `${m.score}.${m.metric}`;
			if (!metricNames.includes(name)) metricNames.push(name);
		}
	}
	const header = [
		'Experiment',
		'Evaluation',
		'Status',
		...metricNames,
		'Samples',
		'Errors',
		'Wall',
		'Samples/s',
		'p50',
		'p95',
		'Concurrency',
		'Speedup',
		'vs 1st',
		'Dataset',
	];
	const table = [header.map(style.dim)];
	const firstWall = rows[0]?.evaluation.summary.wallMs ?? 0;
	for (const { experiment, evaluation: e } of rows) {
		const s = e.summary;
		const metrics = metricNames.map((name) => {
			const m = s.metrics.find((x) => `${x.score}.${x.metric}` === name);
			return m ? `${fixed(m.value)}${m.ci95 ? ` [${fixed(m.ci95[0])}, ${fixed(m.ci95[1])}]` : ''}` : '—';
		});
		table.push([
			experiment,
			e.evalId,
			statusText(style, e.status),
			...metrics,
			`${s.completed}${s.total !== null ? `/${s.total}` : ''}`,
			String(s.errors),
			formatDuration(s.wallMs),
			s.samplesPerSecond.toFixed(2),
			s.latency ? formatDuration(s.latency.p50) : '—',
			s.latency ? formatDuration(s.latency.p95) : '—',
			formatStrategy(s.strategy),
			`${s.speedup.toFixed(2)}×`,
			firstWall > 0 && s.wallMs > 0 ? `${(firstWall / s.wallMs).toFixed(2)}×` : '—',
			e.datasetFingerprint ? e.datasetFingerprint.slice(0, 8) : '—',
		]);
	}
	const firstNumeric = 3 + metricNames.length;
	return formatTable(table, {
		right: [firstNumeric, firstNumeric + 1, firstNumeric + 2, firstNumeric + 3, firstNumeric + 4, firstNumeric + 5, firstNumeric + 7, firstNumeric + 8],
	});
}

const compare: Command = {
	name: 'compare',
	summary: 'compare several experiments side by side: metrics and timing',
	usage,
	run: (argv, ctx) =>
		guarded(ctx, async () => {
			const { values, positionals } = parseCommandArgs('compare', argv, {
				evaluation: { type: 'string' },
				json: { type: 'boolean' },
				storage: { type: 'string' },
			});
			requirePositional(positionals, 'EXPERIMENT (see doteval list); give two or more to compare');
			return withReader(ctx, values.storage, async (reader, file) => {
				const rows: CompareRow[] = [];
				const wanted = values.evaluation as string | undefined;
				for (const experiment of positionals) {
					// Not every experiment need have the evaluation: filtered here, refused below only when none has it.
					for (const evaluation of await selectEvaluations(reader, file, experiment, undefined, (x) => reader.listEvaluations(x))) {
						if (!wanted || isNamed(evaluation, wanted)) rows.push({ experiment, evaluation });
					}
				}
				if (rows.length === 0) {
					const ids = new Set<string>();
					for (const p of positionals) for (const e of await reader.evaluationIds(p)) ids.add(e.evalId);
					throw new NotFound(`no evaluation '${wanted}' in ${positionals.map((p) => `'${p}'`).join(', ')}; they have: ${[...ids].join(', ') || 'none'}`);
				}
				if (values.json) {
					ctx.stdout.write(JSON.stringify({ experiments: positionals, rows }, null, 2) + '\n');
					return ExitCode.Ok;
				}
				const style = makeStyle(ctx.isTTY, ctx.env);
				ctx.stdout.write(`${style.bold(`Compare ${positionals.join(', ')}`)}\n\n${formatCompareTable(rows, style)}`);
				const fingerprints = new Set(rows.map((r) => r.evaluation.datasetFingerprint));
				if (rows.length > 1 && fingerprints.size === 1 && !fingerprints.has(null)) {
					ctx.stdout.write(
						`\nAll scored the same dataset: doteval diff ${rows[0]!.experiment}::${rows[0]!.evaluation.name} ${rows[1]!.experiment}::${rows[1]!.evaluation.name} pairs them sample by sample.\n`,
					);
				}
				return ExitCode.Ok;
			});
		}),
};

export default compare;
