// docs/ci.md's GitHub Actions workflow, as written: parsed, and its `run:` steps executed locally in
// a git repository with a base branch and a pull request branch. What GitHub provides is stood in
// for: `${{ … }}` expressions get the values GitHub would substitute, GITHUB_WORKSPACE and
// GITHUB_STEP_SUMMARY are set, and `npm ci` links this checkout's runtime as node_modules/doteval
// (no registry needed). `uses:` steps (checkout, setup-node, upload-artifact) are GitHub's own.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, mkdirSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { parse } from 'yaml';
import { validateXML } from 'xmllint-wasm';
import { ensureBuilt, repoRoot, cliPath } from './helpers.ts';

before(ensureBuilt);

const doc = readFileSync(path.join(repoRoot, 'docs', 'ci.md'), 'utf8');
const workflowText = /```yaml\n([\s\S]*?)```/.exec(doc)![1]!;

interface Step {
	name?: string;
	uses?: string;
	run?: string;
	if?: string;
	with?: Record<string, unknown>;
}

const evalSource = (until: number) => `import { foreach, Result } from 'doteval';
import { exactMatch } from 'doteval/evaluators';
const rows = Array.from({ length: 20 }, (_, i) => ({ n: i }));
export const evalCheck = foreach('n', rows)(async ({ n }) => new Result(exactMatch(n < ${until} ? 'y' : 'n', 'y')));
`;

function sh(script: string, cwd: string, env: Record<string, string> = {}): { code: number | null; out: string } {
	const result = spawnSync('bash', ['-eo', 'pipefail', '-c', script], {
		cwd,
		env: { ...process.env, DOTEVAL_STORAGE: '', DOTEVAL_LOG: '', ...env },
		encoding: 'utf8',
	});
	return { code: result.status, out: `${result.stdout}\n${result.stderr}` };
}

/** origin (bare) with main; a clone checked out at a pull request branch whose eval passes `until` of 20 rows. */
function repository(until: number): { work: string; root: string } {
	const root = mkdtempSync(path.join(tmpdir(), 'doteval-docs-ci-'));
	const seed = path.join(root, 'seed');
	mkdirSync(path.join(seed, 'evals'), { recursive: true });
	writeFileSync(path.join(seed, 'package.json'), JSON.stringify({ name: 'evals-ci', private: true, type: 'module' }));
	writeFileSync(path.join(seed, '.gitignore'), 'node_modules\n.doteval\nreports\n');
	writeFileSync(path.join(seed, 'evals', 'eval_check.ts'), evalSource(20));
	const git = 'git -c user.name=t -c user.email=t@example.invalid';
	assert.equal(
		sh(
			`git init -q -b main && ${git} add -A && ${git} commit -qm base && git init -q --bare -b main ../origin.git && git remote add origin ../origin.git && git push -q origin main`,
			seed,
		).code,
		0,
	);
	const work = path.join(root, 'work');
	assert.equal(sh(`git clone -q origin.git work`, root).code, 0);
	writeFileSync(path.join(work, 'evals', 'eval_check.ts'), evalSource(until));
	assert.equal(sh(`git checkout -q -b pr && ${git} commit -q --allow-empty -am change`, work).code, 0);
	return { work, root };
}

const expressions: Record<string, string> = { 'github.base_ref': 'main', 'github.event.number': '42' };
const linkRuntime = `mkdir -p node_modules/.bin && ln -sfn ${path.join(repoRoot, 'runtime')} node_modules/doteval && ln -sfn ${cliPath} node_modules/.bin/doteval`;

function localScript(run: string): string {
	const substituted = run.replace(/\$\{\{\s*([^}]+?)\s*\}\}/g, (_, expression: string) => {
		assert.ok(expression in expressions, `the test knows no value for \${{ ${expression} }}`);
		return expressions[expression]!;
	});
	return substituted
		.split('\n')
		.map((line) => (line.trim() === 'npm ci' ? linkRuntime : line))
		.join('\n');
}

function runWorkflow(until: number) {
	const workflow = parse(workflowText) as { on: Record<string, unknown>; jobs: Record<string, { steps: Step[] }> };
	assert.ok('pull_request' in workflow.on, 'runs on every pull request');
	const steps = workflow.jobs.evals!.steps;
	const { work } = repository(until);
	const summary = path.join(work, '..', 'summary.md');
	const results: { name: string; code: number | null; out: string }[] = [];
	for (const step of steps) {
		if (!step.run) continue;
		const previousFailed = results.some((r) => r.code !== 0);
		if (previousFailed && step.if !== 'always()') continue;
		results.push({ name: step.name ?? step.run, ...sh(localScript(step.run), work, { GITHUB_WORKSPACE: work, GITHUB_STEP_SUMMARY: summary, CI: 'true' }) });
	}
	return { work, steps, results, summary };
}

test('the workflow in docs/ci.md passes a pull request that keeps the scores, with a JUnit file and a job summary', async () => {
	const { work, steps, results, summary } = runWorkflow(20);
	assert.deepEqual(
		steps.filter((s) => s.uses).map((s) => s.uses!.split('@')[0]),
		['actions/checkout', 'actions/setup-node', 'actions/upload-artifact'],
	);
	for (const r of results) assert.equal(r.code, 0, `${r.name}:\n${r.out}`);
	const gated = results.find((r) => r.name === 'Evals, gated')!;
	assert.match(gated.out, /gate ✓ +exactMatch no drop against baseline baseline: 1\.000 → 1\.000/);
	assert.match(gated.out, /gate ✓ +exactMatch\.accuracy 1\.000 .*≥ 0\.8 \(--fail-under\)/);
	const xml = readFileSync(path.join(work, 'reports', 'doteval.xml'), 'utf8');
	const schema = readFileSync(path.join(repoRoot, 'test', 'cli', 'fixtures', 'junit-10.xsd'), 'utf8');
	assert.deepEqual((await validateXML({ xml: [{ fileName: 'doteval.xml', contents: xml }], schema: [schema] })).errors, []);
	assert.match(xml, /<testsuite name="doteval pr-42" tests="1" failures="0" errors="0"/);
	const markdown = readFileSync(summary, 'utf8');
	assert.match(markdown, /^## doteval: experiment `pr-42` — ✅ passed$/m);
	assert.match(markdown, /### Against baseline `baseline`/);
});

test('the same workflow fails a pull request that breaks half the samples: exit 6, annotations, the diff in the summary', () => {
	const { work, results, summary } = runWorkflow(10);
	const [install, baseline, gated] = results;
	assert.equal(install!.code, 0, install!.out);
	assert.equal(baseline!.code, 0, baseline!.out);
	assert.equal(gated!.code, 6, gated!.out);
	assert.match(
		gated!.out,
		/::error file=evals\/eval_check\.ts,line=4,title=doteval gate failed%3A evals\/eval_check\.ts%3A%3AevalCheck::exactMatch\.accuracy 0\.500 .*< 0\.8 \(--fail-under\)/,
	);
	assert.match(
		gated!.out,
		/::error file=evals\/eval_check\.ts,line=4,.*::exactMatch dropped against baseline baseline: 1\.000 → 0\.500, Δ −0\.500 \[95%25 CI −0\.740, −0\.260\]/,
	);
	assert.match(
		readFileSync(summary, 'utf8'),
		/\| evals\/eval_check\.ts::evalCheck \| ❌ \| exactMatch \| 1\.000 \| 0\.500 \| −0\.500 \| \[−0\.740, −0\.260\] \| 0\.002 \|/,
	);
	assert.ok(existsSync(path.join(work, 'reports', 'doteval.xml')), 'the JUnit file is written on failure too (upload-artifact runs always())');
});
