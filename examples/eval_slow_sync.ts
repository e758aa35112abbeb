// Step 1 of the tutorial: a deliberately slow synchronous evaluation, the baseline.
//   doteval run eval_slow_sync.ts --experiment sync_baseline      → about 8 s (8 samples × 1 s)
import { foreach, fixture, Result } from 'doteval';
import { exactMatch } from 'doteval/evaluators';
import { blockingSleep, classifySentiment, latencyMs, sentimentData } from './sentiment.js';

/** Slow mock model for baseline testing. */
class SlowModel {
	classify(text: string): string {
		blockingSleep(latencyMs(1)); // Simulate API latency
		return classifySentiment(text);
	}
}

fixture('model', () => new SlowModel());
// Its type, for every eval that destructures `model` (TypeScript declaration merging; JavaScript needs nothing).
declare module 'doteval' {
	interface Fixtures {
		model: SlowModel;
	}
}

/** Slow synchronous sentiment evaluation. */
export const evalSyncSentiment = foreach('text,expected', sentimentData)(({ text, expected, model }) => {
	const prediction = model.classify(text);

	return new Result(exactMatch(prediction, expected), { prompt: text });
});
