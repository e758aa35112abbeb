// examples/eval_openai.ts through the CLI, as a user runs it: the real openai SDK against the local
// mock (no key), recorded into the store folder's cache, replayed, and shown with tokens and cost.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { ExitCode, type EvalEndEvent, type SampleEndEvent } from '../../runtime/src/protocol/events.ts';
import { ensureBuilt, parseEvents, repoRoot, runCli } from '../cli/helpers.ts';

before(ensureBuilt);

const examples = path.join(repoRoot, 'examples');
const noKey = { OPENAI_API_KEY: '' };

test('eval_openai.ts: record, replay without calls, show tokens, cost and cache hits', async () => {
	const dir = mkdtempSync(path.join(tmpdir(), 'doteval-openai-example-'));
	const storage = path.join(dir, 'store');
	try {
		const recorded = await runCli(['run', 'eval_openai.ts', '-e', 'openai', '--cache', 'record', '--reporter', 'jsonl', '--storage', storage], {
			cwd: examples,
			env: noKey,
		});
		assert.equal(recorded.code, ExitCode.Ok, recorded.stderr);
		const events = parseEvents(recorded.stdout);
		const ends = events.filter((e): e is EvalEndEvent => e.type === 'eval-end');
		assert.deepEqual(
			ends.map((e) => [e.evalId.split('::')[1], e.summary.completed, e.summary.errors, e.summary.metrics[0]?.value]),
			[
				['evalOpenAI', 8, 0, 1],
				['evalOpenAIJudged', 8, 0, 1],
			],
		);
		const samples = events.filter((e): e is SampleEndEvent => e.type === 'sample-end');
		assert.ok(
			samples.every((s) => (s.models?.inputTokens ?? 0) > 0 && (s.models?.costUsd ?? 0) > 0),
			'tokens and cost per sample',
		);
		assert.ok(
			samples
				.filter((s) => s.evalId.endsWith('Judged'))
				.every((s) => s.models?.calls === 2 && (s.timing.judgeMs ?? 0) > 0 && typeof s.scores[0]?.metadata?.reasoning === 'string'),
		);
		assert.ok(existsSync(path.join(dir, 'store', 'cache', 'responses.jsonl')), 'the cache lives in the store folder');

		const replayed = await runCli(['run', 'eval_openai.ts', '-e', 'replayed', '--cache', 'replay', '--reporter', 'jsonl', '--storage', storage], {
			cwd: examples,
			env: noKey,
		});
		assert.equal(replayed.code, ExitCode.Ok, replayed.stderr);
		const again = parseEvents(replayed.stdout).filter((e): e is EvalEndEvent => e.type === 'eval-end');
		for (const e of again) {
			assert.equal(e.summary.errors, 0);
			assert.equal(e.summary.models?.cachedSamples, 8, 'every sample from the cache');
			assert.equal((e.summary.models?.inputTokens ?? 0) + (e.summary.models?.outputTokens ?? 0), 0, 'no tokens spent');
		}

		const shown = await runCli(['show', 'openai', '--storage', storage], { cwd: examples });
		assert.equal(shown.code, ExitCode.Ok, shown.stderr);
		assert.match(shown.stdout, /Models {4}8 calls \(0 from cache\) · tokens [\d,]+ in, [\d,]+ out · \d+ tokens\/s · \$[\d.e-]+/);
		assert.match(shown.stdout, /Models {4}16 calls/, 'the judged eval: a task and a judge call per sample');
		const shownReplay = await runCli(['show', 'replayed', '--storage', storage], { cwd: examples });
		assert.match(shownReplay.stdout, /8 samples answered from the cache \(not in latency, tokens or cost\)/);
	} finally {
		rmSync(dir, { recursive: true, force: true });
	}
});
