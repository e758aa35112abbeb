// Step 2 of the tutorial: the same evaluation, async. Still about 8 s, because doteval runs async
// evals sequentially by default.
//   doteval run eval_async_sentiment.ts --experiment async_basic
import { foreach, fixture, Result } from 'doteval';
import { exactMatch } from 'doteval/evaluators';
import { classifySentiment, latencyMs, sentimentData, sleep } from './sentiment.js';

/** Async mock model for testing. */
class AsyncModel {
	async classify(text: string): Promise<string> {
		await sleep(latencyMs(1)); // Simulate async API call
		return classifySentiment(text);
	}
}

fixture('asyncModel', () => new AsyncModel());
declare module 'doteval' {
	interface Fixtures {
		asyncModel: AsyncModel;
	}
}

/** Async sentiment evaluation. */
export const evalAsyncSentiment = foreach('text,expected', sentimentData)(async ({ text, expected, asyncModel }) => {
	const prediction = await asyncModel.classify(text);

	return new Result(exactMatch(prediction, expected), { prompt: text });
});
