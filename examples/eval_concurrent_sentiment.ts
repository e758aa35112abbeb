// Steps 3 and 5 of the tutorial: concurrent execution with a SlidingWindow.
//   doteval run eval_concurrent_sentiment.ts::evalConcurrentSentiment --experiment concurrent_test   → about 2 s
//   doteval run eval_concurrent_sentiment.ts::evalHighConcurrency --experiment high_concurrency      → about 1 s
import { ForEach, fixture, Result } from 'doteval';
import { exactMatch } from 'doteval/evaluators';
import { SlidingWindow } from 'doteval/concurrency';
import { classifySentiment, latencyMs, sentimentData, sleep } from './sentiment.js';

/** Async mock model for concurrent testing. */
class AsyncModel {
	async classify(text: string): Promise<string> {
		await sleep(latencyMs(1));
		return classifySentiment(text);
	}
}

fixture('asyncModel', () => new AsyncModel());

// Configure concurrent execution
const foreachConcurrent = new ForEach({ concurrency: new SlidingWindow({ maxConcurrency: 4 }) });

/** Concurrent async sentiment evaluation. */
export const evalConcurrentSentiment = foreachConcurrent('text,expected', sentimentData)(async ({ text, expected, asyncModel }) => {
	const prediction = await asyncModel.classify(text);

	return new Result(exactMatch(prediction, expected), { prompt: text });
});

// Higher concurrency
const foreachHigh = new ForEach({ concurrency: new SlidingWindow({ maxConcurrency: 8 }) });

/** High concurrency evaluation. */
export const evalHighConcurrency = foreachHigh('text,expected', sentimentData)(async ({ text, expected, asyncModel }) => {
	const prediction = await asyncModel.classify(text);
	return new Result(exactMatch(prediction, expected), { prompt: text });
});
