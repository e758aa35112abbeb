// The Test Explorer glue (tree sync, event → TestRun states) against a fake `vscode`, no editor.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { installFakeVscode, FakeController, FakeRun, renderTree } from './fixtures/fakeVscode';
import { runStart, evalStart, sampleEnd, exactMatch } from './fixtures/events';
import type { FileEvals } from '../../runtime/src/contracts/editorProtocol.js';
import type { RunEvent } from '../../runtime/src/protocol/events';

type Modules = typeof import('../../client/src/testing/testItems') &
	typeof import('../../client/src/testing/applyAction') &
	typeof import('../../client/src/testing/runTracker') &
	typeof import('../../client/src/testing/treeModel');
let m: Modules;
let maxSampleItems: number;
before(async () => {
	installFakeVscode();
	m = {
		...(await import('../../client/src/testing/testItems')),
		...(await import('../../client/src/testing/applyAction')),
		...(await import('../../client/src/testing/runTracker')),
		...(await import('../../client/src/testing/treeModel')),
	} as Modules;
	maxSampleItems = m.maxSampleItems;
});

const range = { start: { line: 22, character: 0 }, end: { line: 26, character: 3 } };
const files: FileEvals[] = [
	{
		uri: 'file:///p/examples/eval_a.ts',
		file: '/p/examples/eval_a.ts',
		evals: [
			{
				id: 'examples/eval_a.ts::evalA',
				name: 'evalA',
				file: '/p/examples/eval_a.ts',
				range,
				nameRange: range,
				columns: ['text', 'expected'],
				dataset: { kind: 'inline', length: 3 },
				strategy: null,
				async: true,
				dynamic: false,
				exported: true,
			},
		],
	},
];
const folders = [{ name: 'p', path: '/p' }];
const summary = {
	total: 3,
	completed: 3,
	errors: 1,
	errorsByType: { Error: 1 },
	metrics: [],
	wallMs: 40,
	samplesPerSecond: 75,
	latency: null,
	strategy: { name: 'Sequential' },
	maxInFlight: 1,
	speedup: 1,
	retries: 0,
	backoffMs: 0,
};

function setup() {
	const controller = new FakeController();
	m.syncChildren(controller as never, controller.items as never, m.buildTree(folders, files));
	const run = new FakeRun();
	const applier = new m.ActionApplier(controller as never, run as never, () => {});
	const tracker = new m.RunTracker();
	const feed = (events: RunEvent[]) => {
		for (const e of events) for (const a of tracker.accept(e)) applier.apply(a);
	};
	return { controller, run, feed };
}

test('a streamed run adds sample items with passed / failed (with a diff) / errored states and durations', () => {
	const { controller, run, feed } = setup();
	feed([
		runStart(),
		evalStart({ total: 3 }),
		sampleEnd(),
		sampleEnd({ index: 1, row: { text: 'Terrible plot', expected: 'negative' }, modelResponse: 'neutral', scores: [exactMatch(false)], passed: false }),
		sampleEnd({ index: 10, row: { text: 'boom' }, scores: [], passed: false, error: { type: 'TypeError', message: 'x is undefined' } }),
		{ type: 'eval-end', evalId: 'examples/eval_a.ts::evalA', status: 'completed', summary, at: 1 },
		{ type: 'run-end', status: 'completed', exitCode: 0, at: 2 },
	]);
	assert.equal(
		renderTree(controller, run),
		[
			'- p',
			'  - examples/eval_a.ts',
			'    - evalA [errored 40ms]',
			'      - #0 This movie is absolutely amazing! [passed 12ms]',
			'      - #1 Terrible plot [failed 12ms]',
			'      - #10 boom [errored 12ms]',
		].join('\n'),
	);
	const evalItem = controller.items.get('folder:/p')!.children.get('file:/p/examples/eval_a.ts')!.children.get('eval:/p/examples/eval_a.ts::evalA')!;
	const failed = run.finalState(evalItem.children.get('eval:/p/examples/eval_a.ts::evalA#1')!)!;
	assert.equal(failed.messages[0].message, 'exactMatch failed: expected negative, got neutral');
	assert.equal(failed.messages[0].expectedOutput, 'negative');
	assert.equal(failed.messages[0].actualOutput, 'neutral');
	assert.equal(failed.messages[0].location?.range, evalItem.range, 'the message points at the eval in the file');
	assert.equal(run.finalState(evalItem.children.get('eval:/p/examples/eval_a.ts::evalA#10')!)!.messages[0].message, 'TypeError: x is undefined');
	assert.match(run.output.join(''), /evalA: completed, 3\/3 samples, 1 errors, 40 ms/);
});

test('re-discovery keeps the samples a run added; an eval the server never reported shows until then', () => {
	const { controller, feed } = setup();
	feed([
		runStart(),
		evalStart(),
		sampleEnd(),
		evalStart({ evalId: 'examples/eval_a.ts::made', name: 'made', line: 40 }),
		sampleEnd({ evalId: 'examples/eval_a.ts::made', index: 2, row: { text: 'dyn' } }),
	]);
	assert.equal(
		renderTree(controller),
		['- p', '  - examples/eval_a.ts', '    - evalA', '      - #0 This movie is absolutely amazing!', '    - made', '      - #2 dyn'].join('\n'),
	);
	m.syncChildren(controller as never, controller.items as never, m.buildTree(folders, files));
	assert.equal(renderTree(controller), ['- p', '  - examples/eval_a.ts', '    - evalA', '      - #0 This movie is absolutely amazing!'].join('\n'));
});

test('the tree stops growing past the sample cap; the run still counts every sample', () => {
	const { controller, run, feed } = setup();
	const events: RunEvent[] = [runStart(), evalStart({ total: maxSampleItems + 5 })];
	for (let i = 0; i < maxSampleItems + 5; i++) events.push(sampleEnd({ index: i }));
	feed(events);
	const evalItem = controller.items.get('folder:/p')!.children.get('file:/p/examples/eval_a.ts')!.children.get('eval:/p/examples/eval_a.ts::evalA')!;
	assert.equal(evalItem.children.size, maxSampleItems);
	assert.equal(run.states.filter((s) => s.state === 'passed').length, maxSampleItems);
});
