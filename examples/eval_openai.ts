// Step 7: a real model through the real `openai` SDK, with doteval/models between them: one
// rate-limit budget for the run, tokens and cost per sample, and a response cache (--cache).
// Without OPENAI_API_KEY a local OpenAI-compatible mock answers (started by the fixture below: no
// key, no network); with OPENAI_API_KEY set it calls the real API (OPENAI_MODEL, default gpt-4o-mini).
//   doteval run eval_openai.ts --experiment openai --cache record   → calls the model, stores answers
//   doteval run eval_openai.ts --experiment replayed --cache replay → answers from the cache only
//   doteval show openai                                            → tokens, cost, cache hits
import OpenAI from 'openai';
import { ForEach, fixture, Result } from 'doteval';
import { exactMatch } from 'doteval/evaluators';
import { Adaptive } from 'doteval/concurrency';
import { llmJudge, modelFetch } from 'doteval/models';
import { sentimentData } from './sentiment.js';
import { startLlmApi } from './mock/llmApi.mjs';

interface OpenAIFixture {
	client: OpenAI;
	close(): Promise<void>;
}

/** An OpenAI client for the run: the real API when OPENAI_API_KEY is set, else the local mock. */
fixture('openai', async (): Promise<OpenAIFixture> => {
	if (process.env.OPENAI_API_KEY) return { client: new OpenAI({ fetch: modelFetch() }), close: async () => {} };
	const api = await startLlmApi({ latencyMs: 100, rps: 20 }); // a rate limit, as a real account has
	return { client: new OpenAI({ apiKey: 'mock-key', baseURL: `${api.url}/v1`, fetch: modelFetch() }), close: api.close };
}, { scope: 'run', teardown: (openai) => openai.close() });
declare module 'doteval' {
	interface Fixtures {
		openai: OpenAIFixture;
	}
}

const model = process.env.OPENAI_MODEL ?? 'gpt-4o-mini';
const instructions = 'Classify the sentiment of the review as positive, negative or neutral. Answer with that one word.';

// Adaptive finds the window the account's rate limit allows; the budget paces the calls.
const foreachModel = new ForEach({ concurrency: new Adaptive() });

export const evalOpenAI = foreachModel('text,expected', sentimentData)(async ({ text, expected, openai }) => {
	const response = await openai.client.chat.completions.create({
		model,
		messages: [{ role: 'system', content: instructions }, { role: 'user', content: text }],
	});
	const prediction = (response.choices[0]?.message.content ?? '').trim().toLowerCase();
	return new Result(exactMatch(prediction, expected), { prompt: text, modelResponse: prediction });
});

/** The same task graded by a model: the judge's reasoning is stored with its score. */
export const evalOpenAIJudged = foreachModel('text,expected', sentimentData)(async ({ text, expected, openai }) => {
	const complete = async (prompt: string) => (await openai.client.chat.completions.create({ model, messages: [{ role: 'user', content: prompt }] })).choices[0]?.message.content ?? '';
	const answer = (await complete(`${instructions}\n\n${text}`)).trim().toLowerCase();
	const sameLabel = llmJudge({ name: 'sameLabel', rubric: 'The answer gives the same sentiment label as the reference.', complete });
	return new Result(await sameLabel(answer, { input: text, reference: expected }), { prompt: text, modelResponse: answer });
});
