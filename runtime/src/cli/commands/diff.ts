/** `doteval diff A B`: one evaluation in two experiments, sample by sample. */
import type { Command } from '../command.js';
import { noExtra, parseCommandArgs, requirePositional } from '../format/argsExtra.js';
import { ExitCode } from '../../protocol/events.js';
import { compareEvaluation, StoreRefusal, type Comparison, type EvaluationRef, type StoreReader } from '../../store/index.js';
import { formatTable } from '../format/table.js';
import { formatTrialsDiff } from '../format/trials.js';
import { formatModelsDiff, sumModelUsage } from '../format/models.js';
import { makeStyle, type Style } from '../format/style.js';
import { printable } from '../format/printable.js';
import { guarded, isNamed, noSuchEvaluation, NotFound, requireExperiment, withReader } from '../format/storeCli.js';

const usage = `Usage: doteval diff A B [--evaluation NAME] [--json] [--storage PATH]
       doteval diff A::EVAL_X B::EVAL_Y [--json] [--storage PATH]

Compare experiments A and B evaluation by evaluation (evaluations with the same id in both), with
samples paired by dataset index (and trial, for rows run several times): each score's mean in A and B, the difference B − A with a paired
95 % interval, McNemar's exact test for pass/fail, and the samples that went pass→fail and fail→pass.
Evaluations run with trials (--trials K) also get pass@K, pass^K and their unstable rows side by side.
Evaluations that made model calls (doteval/models) get their calls, tokens and cost A → B with B − A,
and each experiment's totals over the evaluations compared.

EXPERIMENT::EVAL compares two different evals (their names or ids), such as two prompts or models
written as separate evals over one dataset; A and B may be the same experiment. They are paired by
index only when their datasets' fingerprints match; otherwise the diff is refused, with the reason.

Options:
  --evaluation NAME  only this evaluation (its name or id)
  --all              list every changed sample (default: the first 20 of each list)
  --json             machine-readable output
  --storage PATH     the store folder (default: <project root>/.doteval/, or $DOTEVAL_STORAGE)
`;

const signed = (n: number): string => `${n >= 0 ? '+' : ''}${n.toFixed(3)}`;

function indexes(list: number[], all: boolean): string {
	const shown = all ? list : list.slice(0, 20);
	return shown.map((i) => `#${i}`).join(' ') + (shown.length < list.length ? ` … and ${list.length - shown.length} more (--all)` : '');
}

function formatComparison(c: Comparison, style: Style, all: boolean): string {
	const out = [
		style.bold(printable(c.evalIdB ? `${c.evalId} → ${c.evalIdB}` : c.evalId)),
		`  Paired samples ${c.paired}` + (c.onlyA || c.onlyB ? ` (only in A: ${c.onlyA}, only in B: ${c.onlyB})` : ''),
	];
	if (c.scores.length) {
		const rows = [['Score', 'A', 'B', 'Δ (B − A)', '95% CI of Δ'].map(style.dim)];
		for (const s of c.scores)
			rows.push([printable(s.score), s.a.toFixed(3), s.b.toFixed(3), signed(s.delta), s.ci95 ? `[${signed(s.ci95[0])}, ${signed(s.ci95[1])}]` : '—']);
		out.push(formatTable(rows, { indent: '    ', right: [1, 2, 3] }).trimEnd());
	}
	if (c.mcnemarP !== null) {
		out.push(
			`  Pass/fail  ${c.passToFail.length} pass→fail, ${c.failToPass.length} fail→pass of ${c.passFailPairs} pairs · McNemar exact p = ${c.mcnemarP < 0.001 ? c.mcnemarP.toExponential(1) : c.mcnemarP.toFixed(3)}`,
		);
		if (c.passToFail.length) out.push(`  ${style.red('pass → fail')} (${c.passToFail.length}): ${indexes(c.passToFail, all)}`);
		if (c.failToPass.length) out.push(`  ${style.green('fail → pass')} (${c.failToPass.length}): ${indexes(c.failToPass, all)}`);
	}
	if (c.trials) out.push(...formatTrialsDiff(c.trials.a, c.trials.b));
	if (c.models) out.push(...formatModelsDiff(c.models.a, c.models.b));
	return out.join('\n') + '\n';
}

const diff: Command = {
	name: 'diff',
	summary: 'compare two experiments sample by sample',
	usage,
	run: (argv, ctx) =>
		guarded(ctx, async () => {
			const { values, positionals } = parseCommandArgs('diff', argv, {
				evaluation: { type: 'string' },
				all: { type: 'boolean' },
				json: { type: 'boolean' },
				storage: { type: 'string' },
			});
			const a = requirePositional(positionals, 'experiment A (see doteval list)');
			const b = requirePositional(positionals, 'experiment B', 1);
			noExtra(positionals, 2, 'diff');
			return withReader(ctx, values.storage, async (reader, file) => {
				const sideA = await parseSide(reader, a);
				const sideB = await parseSide(reader, b);
				if (sideA.evaluation !== undefined || sideB.evaluation !== undefined) {
					if (values.evaluation !== undefined) throw new NotFound(`--evaluation and EXPERIMENT::EVAL name the evaluation twice; use one of them`);
					const c = await compareAcross(reader, file, sideA, sideB);
					const header = `Diff ${sideA.experiment}::${c.evalId} → ${sideB.experiment}::${c.evalIdB ?? c.evalId}`;
					if (values.json) ctx.stdout.write(JSON.stringify({ a: sideA.experiment, b: sideB.experiment, comparisons: [c] }, null, 2) + '\n');
					else {
						const style = makeStyle(ctx.isTTY, ctx.env);
						ctx.stdout.write(`${style.bold(header)}\n\n${formatComparison(c, style, !!values.all)}`);
					}
					return ExitCode.Ok;
				}
				await requireExperiment(reader, a, file);
				await requireExperiment(reader, b, file);
				const idsA = await reader.evaluationIds(a);
				const idsB = await reader.evaluationIds(b);
				const inB = new Set(idsB.map((e) => e.evalId));
				const wanted = values.evaluation as string | undefined;
				const common = idsA.filter((e) => inB.has(e.evalId) && (!wanted || isNamed(e, wanted)));
				if (common.length === 0) {
					const list = (ids: EvaluationRef[]) => ids.map((e) => e.evalId).join(', ') || 'none';
					throw new NotFound(`no evaluation${wanted ? ` '${wanted}'` : ''} is in both '${a}' and '${b}'; '${a}' has: ${list(idsA)}; '${b}' has: ${list(idsB)}`);
				}
				const comparisons: Comparison[] = [];
				for (const e of common) comparisons.push(await compareEvaluation(reader, a, b, e.evalId));
				// Each experiment's model usage over the evaluations compared: what B costs against A.
				const withModels = comparisons.filter((c) => c.models);
				const totals = withModels.length
					? { a: sumModelUsage(withModels.map((c) => c.models!.a)), b: sumModelUsage(withModels.map((c) => c.models!.b)), evaluations: withModels.length }
					: undefined;
				if (values.json) {
					ctx.stdout.write(JSON.stringify({ a, b, comparisons, ...(totals ? { totals: { models: totals } } : {}) }, null, 2) + '\n');
					return ExitCode.Ok;
				}
				const style = makeStyle(ctx.isTTY, ctx.env);
				ctx.stdout.write(`${style.bold(`Diff ${printable(a)} → ${printable(b)}`)}\n`);
				for (const c of comparisons) ctx.stdout.write('\n' + formatComparison(c, style, !!values.all));
				if (totals && comparisons.length > 1)
					ctx.stdout.write(
						`\n${style.bold('Experiment totals')} (${totals.evaluations} evaluations with model calls)\n${formatModelsDiff(totals.a, totals.b, 'Models').join('\n')}\n`,
					);
				return ExitCode.Ok;
			});
		}),
};

interface Side {
	experiment: string;
	/** The eval's name or id, for `EXPERIMENT::EVAL`. */
	evaluation?: string;
}

/** `A` or `A::evalX` (an eval id has a `::` itself, so the first one separates). An existing experiment name wins. */
async function parseSide(reader: StoreReader, text: string): Promise<Side> {
	const at = text.indexOf('::');
	if (at < 0 || (await reader.experimentExists(text))) return { experiment: text };
	return { experiment: text.slice(0, at), evaluation: text.slice(at + 2) };
}

/** Two evaluations (maybe of different evals) paired by index, refused unless their datasets are the same rows. */
async function compareAcross(reader: StoreReader, file: string, a: Side, b: Side): Promise<Comparison> {
	await requireExperiment(reader, a.experiment, file);
	await requireExperiment(reader, b.experiment, file);
	const find = async (side: Side, evaluation: string) => {
		const found = await reader.getEvaluation(side.experiment, evaluation);
		if (found) return found;
		throw noSuchEvaluation(side.experiment, evaluation, await reader.evaluationIds(side.experiment));
	};
	const left = await find(a, a.evaluation ?? b.evaluation!);
	const right = await find(b, b.evaluation ?? a.evaluation!);
	if (left.evalId !== right.evalId) {
		const fa = left.datasetFingerprint;
		const fb = right.datasetFingerprint;
		const where = (side: Side, id: string) => `${side.experiment}::${id}`;
		if (fa === null || fb === null) {
			const which = fa === null ? where(a, left.evalId) : where(b, right.evalId);
			throw new StoreRefusal(
				`cannot pair ${where(a, left.evalId)} with ${where(b, right.evalId)} by index: the dataset of ${which} has no fingerprint (it is a generator or a function, read once), so doteval cannot tell that both scored the same rows; use an array or a dataset file (jsonl, csv, json)`,
			);
		}
		if (fa !== fb) {
			throw new StoreRefusal(
				`cannot pair ${where(a, left.evalId)} with ${where(b, right.evalId)} by index: they scored different datasets (fingerprint ${fa.slice(0, 12)} vs ${fb.slice(0, 12)}): different rows, a different order or another size`,
			);
		}
	}
	return compareEvaluation(reader, a.experiment, b.experiment, left.evalId, right.evalId);
}

export default diff;
