// The CI reporters as a user meets them: `doteval run --reporter pretty,junit:FILE,github` as a
// process. The JUnit file validates against the JUnit XML Schema in fixtures/ with libxml2's
// validator (xmllint-wasm); the GitHub annotations and job summary match golden files
// (DOTEVAL_UPDATE_GOLDEN=1 rewrites them; read the diff before committing).
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { validateXML } from 'xmllint-wasm';
import { ExitCode } from '../../runtime/src/protocol/events.ts';
import { ensureBuilt, makeProject, runCli } from './helpers.ts';

before(ensureBuilt);

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures');
const schema = readFileSync(path.join(fixtures, 'junit-10.xsd'), 'utf8');

async function validateJunit(xml: string): Promise<string[]> {
	const result = await validateXML({ xml: [{ fileName: 'junit.xml', contents: xml }], schema: [schema] });
	return result.errors.map((e) => e.message);
}

// Two evals: one passes its threshold; one fails it, and two of its samples throw errors whose
// messages are hostile to XML, markdown and workflow commands.
const evalFile = `import { ForEach, Result } from 'doteval';
import { exactMatch } from 'doteval/evaluators';
const data = Array.from({ length: 10 }, (_, i) => i);
const strict = new ForEach({ threshold: { 'exactMatch.accuracy': 0.9 } });

export const evalGood = strict('n', data)(async ({ n }) => new Result(exactMatch('y', 'y')));

export const evalBad = strict('n', data)(async ({ n }) => {
	if (n === 3) throw new TypeError('bad </system-out> & <script>alert(1)</script> | col %0A\\u0000 ]]>');
	if (n === 7) throw new RangeError('line one\\n::error::forged annotation');
	return new Result(exactMatch(n % 2 === 0 ? 'y' : 'n', 'y'));
});
`;

function golden(name: string, actual: string): void {
	const file = path.join(fixtures, 'github', name);
	if (process.env.DOTEVAL_UPDATE_GOLDEN === '1' || !existsSync(file)) writeFileSync(file, actual);
	assert.equal(actual, readFileSync(file, 'utf8'), `${name} differs from its golden file (DOTEVAL_UPDATE_GOLDEN=1 rewrites it)`);
}

/** Timing differs run to run: the duration, rate and speedup cells of the summary's timing table. */
function normalizeTiming(markdown: string): string {
	let inTiming = false;
	return markdown
		.split('\n')
		.map((line) => {
			if (line.startsWith('### ')) inTiming = line === '### Timing';
			if (!inTiming || !line.startsWith('| ') || line.startsWith('| Eval') || line.startsWith('| ---')) return line;
			const cells = line.split(' | ');
			return [cells[0], '<wall>', '<rate>', '<p50>', '<p95>', cells[5], '<speedup> |'].join(' | ');
		})
		.join('\n');
}

test('pretty, junit and github together: valid JUnit XML, annotations and a job summary matching the golden files', async () => {
	const dir = makeProject({ 'evals/eval_ci.ts': evalFile });
	const summaryFile = path.join(dir, 'summary.md');
	writeFileSync(summaryFile, '# written by an earlier step\n');
	const result = await runCli(
		['run', 'evals', '--experiment', 'ci', '--storage', path.join(dir, 'store.db'), '--reporter', 'pretty,junit:reports/junit.xml,github'],
		{
			cwd: dir,
			env: { GITHUB_STEP_SUMMARY: summaryFile, GITHUB_WORKSPACE: dir },
		},
	);
	assert.equal(result.code, ExitCode.GateFailed, result.stderr);
	// The pretty reporter still writes its summaries.
	assert.match(result.stdout, /✓ evals\/eval_ci\.ts::evalBad {2}completed/);

	const xml = readFileSync(path.join(dir, 'reports', 'junit.xml'), 'utf8');
	assert.deepEqual(await validateJunit(xml), []);
	assert.match(xml, /<testsuite name="doteval ci" tests="2" failures="1" errors="0" skipped="0"/);
	assert.match(xml, /<testcase name="evalGood" classname="evals\/eval_ci\.ts" time="[\d.]+">\n {6}<system-out>/);
	assert.match(
		xml,
		/<testcase name="evalBad" classname="evals\/eval_ci\.ts" time="[\d.]+">\n {6}<failure message="exactMatch\.accuracy 0\.500 \(95% CI [\d.]+–[\d.]+\) &lt; 0\.9 \(threshold\)" type="QualityGate">/,
	);
	assert.match(xml, /failed samples \(3\): #1 #5 #9\n/);
	assert.match(xml, /#3 TypeError: bad &lt;\/system-out&gt; &amp; &lt;script&gt;alert\(1\)&lt;\/script&gt; \| col %0A\uFFFD \]\]&gt;/);

	const annotations =
		result.stdout
			.split('\n')
			.filter((line) => line.startsWith('::'))
			.join('\n') + '\n';
	golden('annotations.txt', annotations);
	// The forged command stays inside the message: one line per annotation.
	assert.equal(annotations.split('\n').filter((l) => l.includes('forged')).length, 1);
	assert.ok(!annotations.includes('\n::error::forged'));

	const summary = readFileSync(summaryFile, 'utf8');
	assert.ok(summary.startsWith('# written by an earlier step\n## doteval: experiment `ci` — ❌ exit 6\n'), 'appended after what was there');
	golden('summary.md', normalizeTiming(summary));
});

test('--baseline adds the diff to the job summary; a load error and an eval that cannot run are JUnit errors', async () => {
	const dir = makeProject({ 'evals/eval_ci.ts': evalFile });
	const store = path.join(dir, 'store.db');
	assert.equal((await runCli(['run', 'evals', '--experiment', 'main', '--storage', store], { cwd: dir })).code, ExitCode.GateFailed);
	const summaryFile = path.join(dir, 'summary.md');
	const again = await runCli(['run', 'evals', '--experiment', 'pr', '--baseline', 'main', '--storage', store, '--reporter', 'github'], {
		cwd: dir,
		env: { GITHUB_STEP_SUMMARY: summaryFile, GITHUB_WORKSPACE: dir },
	});
	assert.equal(again.code, ExitCode.GateFailed, again.stderr);
	const summary = readFileSync(summaryFile, 'utf8');
	assert.match(
		summary,
		/### Against baseline `main`\n\n\| Eval \| \| Score \| Baseline \| Now \| Δ \| 95% CI of Δ \| McNemar p \|\n.*\n\| evals\/eval_ci\.ts::evalGood \| ✅ \| exactMatch \| 1\.000 \| 1\.000 \| \+0\.000 \| \[\+0\.000, \+0\.000\] \| 1\.000 \|\n\| evals\/eval_ci\.ts::evalBad \| ✅ \| exactMatch \| 0\.500 \| 0\.500 \| \+0\.000 \| \[\+0\.000, \+0\.000\] \| 1\.000 \|/,
	);

	const broken = makeProject({
		'eval_ok.ts': evalFile,
		'eval_broken.ts': 'export const x = (;\n',
		'eval_fixture.ts': `import { foreach, fixture, Result } from 'doteval';
fixture('model', () => { throw new Error('no API key: set OPENAI_API_KEY'); });
export const evalNeedsModel = foreach('n', [1, 2])(async ({ n, model }) => new Result());
`,
	});
	const junit = path.join(broken, 'junit.xml');
	const failed = await runCli(['run', '--storage', path.join(broken, 'store.db'), '--reporter', `junit:${junit}`], { cwd: broken });
	assert.equal(failed.code, ExitCode.LoadError, failed.stderr);
	const xml = readFileSync(junit, 'utf8');
	assert.deepEqual(await validateJunit(xml), []);
	assert.match(
		xml,
		/<testcase name="\(load\)" classname="eval_broken\.ts" time="0\.000">\n {6}<error message="could not load [^"]*eval_broken\.ts:1:19: [^"]*" type="LoadError">/,
	);
	assert.match(
		xml,
		/<testcase name="evalNeedsModel" classname="eval_fixture\.ts" time="[\d.]+">\n {6}<error message="[^"]*no API key: set OPENAI_API_KEY[^"]*" type="EvalFailed">/,
	);
	assert.match(xml, /tests="4" failures="1" errors="2"/);
});

test('reporter lists that cannot work are usage errors that say what to write instead', async () => {
	const dir = makeProject({ 'eval_ci.ts': evalFile });
	const cases: [string, RegExp][] = [
		['junit', /--reporter junit needs a file to write: junit:FILE, e\.g\. junit:doteval-junit\.xml/],
		['pretty,jsonl', /only one of pretty and jsonl can write to stdout; write the event stream to a file with jsonl:FILE/],
		['jsonl,github', /github writes workflow commands to stdout, which jsonl uses for its events; write the event stream to a file with jsonl:FILE/],
		['pretty,pretty', /--reporter names 'pretty' twice/],
		['junit:', /--reporter junit: needs a file after the colon, e\.g\. junit:out\.xml/],
	];
	for (const [list, message] of cases) {
		const result = await runCli(['run', '--reporter', list], { cwd: dir });
		assert.equal(result.code, ExitCode.Usage, `${list}: ${result.stderr}`);
		assert.match(result.stderr, message);
	}
	// jsonl into a file next to pretty on stdout: the same stream, line by line.
	const result = await runCli(['run', '--storage', path.join(dir, 's.db'), '--reporter', 'pretty,jsonl:events.jsonl'], { cwd: dir });
	assert.equal(result.code, ExitCode.GateFailed, result.stderr);
	const types = readFileSync(path.join(dir, 'events.jsonl'), 'utf8')
		.trim()
		.split('\n')
		.map((l) => JSON.parse(l).type);
	assert.deepEqual([types[0], types.at(-1), types.filter((t) => t === 'sample-end').length], ['run-start', 'run-end', 20]);
});
