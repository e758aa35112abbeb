import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { collectEvals } from '../../runtime/src/loader/collectEvals.ts';
import { parseTargets, selectEvals } from '../../runtime/src/cli/run/selectEvals.ts';
import type { EvalDefinitionRuntime } from '../../runtime/src/core/types.ts';

const def = (name: string | undefined, line = 1, file = '/p/eval_a.ts'): EvalDefinitionRuntime => ({
	name,
	fn: () => null,
	columns: ['x'],
	dataset: [],
	async: false,
	strategyInfo: { name: 'Sequential' },
	definedAt: { file, line },
});
const brand = new Map<unknown, EvalDefinitionRuntime>();
const exported = (d: EvalDefinitionRuntime) => {
	const value = () => null;
	brand.set(value, d);
	return value;
};
const toDefinition = (v: unknown) => brand.get(v);
const noPackageJson = () => false; // project root = the file's folder

test('exports name their evals; others keep the function name; re-exports are included', () => {
	const a = def('innerA', 3),
		hidden = def('evalHidden', 7),
		anonymous = def(undefined, 9),
		elsewhere = def('evalB', 1, '/q/eval_b.ts');
	const { evals, warnings } = collectEvals(
		'/p/eval_a.ts',
		{ evalA: exported(a), helper: 42, evalB: exported(elsewhere) },
		[a, hidden, anonymous],
		toDefinition,
		noPackageJson,
	);
	assert.deepEqual(
		evals.map((e) => [e.id, e.line]),
		[
			['eval_a.ts::evalA', 3],
			['eval_a.ts::evalHidden', 7],
			['eval_a.ts::evalB', null],
		],
	);
	assert.equal(warnings.length, 1);
	assert.match(warnings[0]!, /no name/);
});

test('two evals with one name: the first wins, with a warning', () => {
	const { evals, warnings } = collectEvals('/p/eval_a.ts', {}, [def('same'), def('same')], toDefinition, noPackageJson);
	assert.equal(evals.length, 1);
	assert.match(warnings[0]!, /two evals are named 'same'/);
});

test('targets: file::name selects within a file, a bare file wins over its names', () => {
	const cwd = '/p';
	const sel = parseTargets(['eval_a.ts::one', 'eval_a.ts::two', 'eval_b.ts::x', 'eval_b.ts', 'dir'], cwd);
	assert.deepEqual(sel.fileTargets, ['eval_a.ts', 'eval_b.ts', 'dir']);
	assert.deepEqual([...sel.names.keys()], [path.resolve('/p/eval_a.ts')]);
	const loaded = ['one', 'two', 'three'].map((name) => ({ id: `eval_a.ts::${name}`, name, file: '/p/eval_a.ts', line: null, definition: def(name) }));
	assert.deepEqual(
		selectEvals(loaded, sel, undefined, cwd).selected.map((e) => e.name),
		['one', 'two'],
	);
	assert.deepEqual(
		selectEvals(loaded, sel, 'tw', cwd).selected.map((e) => e.name),
		['two'],
	);
	const missing = selectEvals(loaded, parseTargets(['eval_a.ts::four'], cwd), undefined, cwd).missing;
	assert.deepEqual(missing, ["no eval named 'four' in eval_a.ts; it defines: one, two, three"]);
});
