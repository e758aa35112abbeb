// Resuming an experiment checks the rows its stored samples were made from against the rows read
// now — streamed, as they are read, so generators and dataset functions are covered too — and
// refuses before running anything when they differ. Rows the earlier run never covered may change.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { ExitCode } from '../../runtime/src/protocol/events.ts';
import { ensureBuilt, makeProject, parseEvents, runCli } from './helpers.ts';

before(ensureBuilt);

const file = (dataset: string) => `import { foreach, Result } from 'doteval';
import { exactMatch } from 'doteval/evaluators';
const rows = ['a', 'b', 'c', 'd', 'e', 'f'];
export const evalRows = foreach('text', ${dataset})(({ text }) => new Result(exactMatch(text, 'a')));
`;

const datasets = {
	generator: '(function* () { yield* rows; })()',
	function: '() => rows',
	'async generator': '(async function* () { for (const r of rows) yield r; })()',
};

for (const [kind, dataset] of Object.entries(datasets)) {
	test(`a ${kind} dataset whose covered rows changed is refused on resume (exit 1), before any sample runs; --force resumes`, async () => {
		const dir = makeProject({ 'eval_rows.ts': file(dataset) });
		const first = await runCli(['run', '--experiment', 'e', '--samples', '3'], { cwd: dir });
		assert.equal(first.code, ExitCode.Ok, first.stderr);
		const evalFile = path.join(dir, 'eval_rows.ts');
		writeFileSync(evalFile, readFileSync(evalFile, 'utf8').replace("'b', 'c'", "'b', 'CHANGED'"));
		const refused = await runCli(['run', '--experiment', 'e', '--reporter', 'jsonl'], { cwd: dir });
		assert.equal(refused.code, ExitCode.EvalFailed, refused.stderr);
		assert.match(
			refused.stderr,
			/eval_rows\.ts::evalRows: the dataset of eval_rows\.ts::evalRows changed since experiment 'e' stored its samples: row 2 is now \{"text":"CHANGED"\}, not the row its stored sample was made from.*--force/s,
		);
		assert.deepEqual(
			parseEvents(refused.stdout).map((e) => e.type),
			['run-start', 'eval-start', 'eval-end', 'run-end'],
			'no sample ran',
		);
		const forced = await runCli(['run', '--experiment', 'e', '--force', '--reporter', 'jsonl'], { cwd: dir });
		assert.equal(forced.code, ExitCode.Ok, forced.stderr);
		assert.deepEqual(
			parseEvents(forced.stdout).flatMap((e) => (e.type === 'sample-end' ? [e.index] : [])),
			[3, 4, 5],
		);
	});
}

test('rows the earlier run did not cover may change or be appended: the resume runs them', async () => {
	const dir = makeProject({ 'eval_rows.ts': file('rows') });
	assert.equal((await runCli(['run', '--experiment', 'e', '--samples', '3'], { cwd: dir })).code, ExitCode.Ok);
	const evalFile = path.join(dir, 'eval_rows.ts');
	writeFileSync(evalFile, readFileSync(evalFile, 'utf8').replace("'e', 'f'", "'E', 'F', 'g'"));
	const resumed = await runCli(['run', '--experiment', 'e', '--reporter', 'jsonl'], { cwd: dir });
	assert.equal(resumed.code, ExitCode.Ok, resumed.stderr);
	assert.deepEqual(
		parseEvents(resumed.stdout).flatMap((e) => (e.type === 'sample-end' ? [e.index] : [])),
		[3, 4, 5, 6],
	);
});

test("a jsonl file whose covered line changed is refused; an errored sample's row may change (it runs again)", async () => {
	const dir = makeProject({
		'eval_file.ts': `import { foreach, Result } from 'doteval';
import { exactMatch } from 'doteval/evaluators';
import { jsonl } from 'doteval/datasets';
export const evalFile = foreach('text', jsonl(new URL('data.jsonl', import.meta.url).pathname))(({ text }) => {
	if (text === 'boom') throw new Error('boom');
	return new Result(exactMatch(text, 'a'));
});
`,
		'data.jsonl': '{"text":"a"}\n{"text":"boom"}\n{"text":"c"}\n',
	});
	assert.equal((await runCli(['run', '--experiment', 'f'], { cwd: dir })).code, ExitCode.Ok);
	writeFileSync(path.join(dir, 'data.jsonl'), '{"text":"a"}\n{"text":"fixed"}\n{"text":"c"}\n');
	const rerun = await runCli(['run', '--experiment', 'f', '--reporter', 'jsonl'], { cwd: dir });
	assert.equal(rerun.code, ExitCode.Ok, rerun.stderr);
	assert.deepEqual(
		parseEvents(rerun.stdout).flatMap((e) => (e.type === 'sample-end' ? [e.index] : [])),
		[1],
	);
	writeFileSync(path.join(dir, 'data.jsonl'), '{"text":"A"}\n{"text":"fixed"}\n{"text":"c"}\n{"text":"d"}\n');
	const refused = await runCli(['run', '--experiment', 'f'], { cwd: dir });
	assert.equal(refused.code, ExitCode.EvalFailed, refused.stderr);
	assert.match(refused.stderr, /row 0 is now \{"text":"A"\}, not the row/);
});
