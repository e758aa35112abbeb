import { test } from 'node:test';
import assert from 'node:assert/strict';
import OpenAI from 'openai';
import { ForEach, Result } from '../../runtime/src/index.js';
import { exactMatch } from '../../runtime/src/evaluators/index.js';
import { llmJudge, modelFetch, setModelRunSettings } from '../../runtime/src/models/index.js';
import { parseChoice } from '../../runtime/src/models/judge.js';
import { run } from '../runtime/helpers.js';
import { freshRun, startMock } from './helpers.js';

const cities = [
	['capital of France', 'Paris'],
	['capital of Italy', 'Rome'],
	['capital of Spain', 'Madrid'],
];

test('an LLM judge: scored from its CHOICE line, reasoning in the metadata, judge time apart, cached with the run', async () => {
	// The "task" model answers with an echo; the judge (same mock) passes an answer containing the reference.
	const api = await startMock({ latencyMs: 40 });
	const r = freshRun('on');
	try {
		const client = new OpenAI({ apiKey: 'sk-test', baseURL: `${api.url}/v1`, fetch: modelFetch(), maxRetries: 0 });
		const complete = async (prompt: string) =>
			(await client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: prompt }] })).choices[0]!.message.content ?? '';
		const correct = llmJudge({ name: 'sameCity', rubric: 'The answer names the same city as the reference.', complete });
		const ev = () =>
			new ForEach({ concurrency: 3, retries: false })(
				'question,city',
				cities,
			)(async ({ question, city }) => {
				const answer = await complete(`Answer briefly: what is the ${question}? ${question === 'capital of Spain' ? 'Barcelona' : city}`);
				return new Result(await correct(answer, { input: question, reference: city }), exactMatch(answer.length > 0, true), { modelResponse: answer });
			});
		const first = await run(ev());
		const judged = first.samples.sort((a, b) => a.index - b.index).map((s) => s.scores.find((x) => x.name === 'sameCity')!);
		assert.deepEqual(
			judged.map((s) => s.value),
			[true, true, false],
		);
		assert.deepEqual(
			judged.map((s) => s.metrics),
			[['accuracy'], ['accuracy'], ['accuracy']],
		);
		assert.match(String(judged[2]!.metadata?.reasoning), /does not match the reference/);
		assert.equal(judged[0]!.metadata?.choice, 'A');
		for (const s of first.samples) {
			assert.equal(s.models?.calls, 2, 'task call + judge call');
			assert.ok((s.timing.judgeMs ?? 0) >= 30, `judge time recorded apart (${s.timing.judgeMs} ms)`);
			const elapsed = s.timing.finishedAt - s.timing.startedAt;
			assert.ok(s.timing.latencyMs + s.timing.judgeMs! <= elapsed + 5, 'judge time is not also task latency');
		}
		const answered = api.stats.answered;
		assert.equal(answered, 6);

		setModelRunSettings({ cache: 'replay' });
		const second = await run(ev());
		assert.equal(api.stats.answered, answered, 'the judge was answered from the cache');
		assert.deepEqual(
			second.samples.sort((a, b) => a.index - b.index).map((s) => s.scores.find((x) => x.name === 'sameCity')!.value),
			[true, true, false],
		);
		assert.ok(second.samples.every((s) => s.models?.cacheHits === 2));
	} finally {
		r.done();
		await api.close();
	}
});

test('a judge answer without a CHOICE line fails the sample with the text it got', async () => {
	const judge = llmJudge({ rubric: 'r', complete: async () => 'I think it is fine.' });
	const ev = new ForEach({ retries: false })('a', [['x']])(async ({ a }) => new Result(await judge(a)));
	const { samples } = await run(ev);
	assert.equal(samples[0]!.error?.type, 'JudgeAnswerError');
	assert.match(samples[0]!.error!.message, /does not end with "CHOICE: <A\|B>": I think it is fine/);
});

test('parseChoice takes the last CHOICE line, any case, markdown bold allowed; unknown labels are no choice', () => {
	assert.deepEqual(parseChoice('Because.\nCHOICE: A\nwait\n**Choice:** b', ['A', 'B']), { choice: 'B', reasoning: 'Because.\nCHOICE: A\nwait' });
	assert.equal(parseChoice('CHOICE: C', ['A', 'B']), undefined);
	assert.throws(() => llmJudge({ rubric: '', complete: async () => '' }), /give a rubric/);
	assert.throws(() => llmJudge({ rubric: 'r', complete: async () => '', choices: { A: 1 } }), /at least two labels/);
});
