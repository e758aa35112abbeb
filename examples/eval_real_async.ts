// Step 6 of the tutorial: a real async API. A small local HTTP server stands in for the hosted model
// (0.5 s latency, no internet needed); it starts once per run and stops when the run ends.
//   doteval run eval_real_async.ts --experiment real_api      → about 0.5 s (8 samples, window of 10)
import { ForEach, fixture, Result } from 'doteval';
import { exactMatch } from 'doteval/evaluators';
import { SlidingWindow } from 'doteval/concurrency';
import { apiSentiment, startSentimentApi, type SentimentApi } from './sentimentApi.js';
// The tutorial's step 6 uses sentiment_data without defining it: it is the same dataset as steps 1–5.
import { sentimentData } from './sentiment.js';

/** The API server, shared by every eval of the run; closed when the run ends, also on Ctrl+C. */
fixture('sentimentApi', () => startSentimentApi(), { scope: 'run', teardown: (api) => api.close() });
declare module 'doteval' {
	interface Fixtures {
		sentimentApi: SentimentApi;
	}
}

// Configure for API rate limits
const foreachApi = new ForEach({ concurrency: new SlidingWindow({ maxConcurrency: 10 }) });

/** Evaluation with real async API calls. */
export const evalRealApi = foreachApi('text,expected', sentimentData)(async ({ text, expected, sentimentApi }) => {
	const prediction = await apiSentiment(sentimentApi.url, text);

	return new Result(exactMatch(prediction, expected), { prompt: text, modelResponse: prediction });
});
