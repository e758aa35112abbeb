// promptfoo custom provider: the tutorial's mock model. Waits LAT_MS, then classifies by keywords.
import { setTimeout as sleep } from 'node:timers/promises';

const LAT_MS = Number(process.env.LAT_MS ?? 1000);

function classify(text) {
	const t = text.toLowerCase();
	if (['great', 'amazing', 'excellent'].some((w) => t.includes(w))) return 'positive';
	if (['terrible', 'awful', 'bad'].some((w) => t.includes(w))) return 'negative';
	return 'neutral';
}

export default class MockSentimentProvider {
	constructor(options = {}) {
		this.providerId = options.id ?? 'mock-sentiment';
	}

	id() {
		return this.providerId;
	}

	async callApi(prompt) {
		await sleep(LAT_MS);
		return { output: classify(prompt) };
	}
}
