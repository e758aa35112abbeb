// The bench workload for doteval: the tutorial's 8 rows repeated to N (each text suffixed " #i"),
// a mock model that waits LAT_MS and classifies by keywords, exact-match scoring, SlidingWindow(CONC).
import { ForEach, Result } from 'doteval';
import { exactMatch } from 'doteval/evaluators';
import { SlidingWindow } from 'doteval/concurrency';
import { setTimeout as sleep } from 'node:timers/promises';

const N = Number(process.env.N ?? 8);
const LAT_MS = Number(process.env.LAT_MS ?? 1000);
const CONC = Number(process.env.CONC ?? 4);
const rows: [string, string][] = [
	['This movie is absolutely amazing!', 'positive'],
	['Terrible plot and awful acting', 'negative'],
	['It was an okay film, nothing special', 'neutral'],
	['Great cinematography and excellent story', 'positive'],
	['Bad writing and terrible direction', 'negative'],
	['Average movie with decent performances', 'neutral'],
	['Amazing visuals and great soundtrack', 'positive'],
	['Awful script and bad character development', 'negative'],
];

function classify(text: string): string {
	const t = text.toLowerCase();
	if (['great', 'amazing', 'excellent'].some((w) => t.includes(w))) return 'positive';
	if (['terrible', 'awful', 'bad'].some((w) => t.includes(w))) return 'negative';
	return 'neutral';
}

const sentimentData = Array.from({ length: N }, (_, i) => [`${rows[i % 8][0]} #${i}`, rows[i % 8][1]]);
const foreachConcurrent = new ForEach({ concurrency: new SlidingWindow({ maxConcurrency: CONC }) });

export const evalSentiment = foreachConcurrent('text,expected', sentimentData)(
	async ({ text, expected }: { text: string; expected: string }) => {
		await sleep(LAT_MS);
		return new Result(exactMatch(classify(text), expected), { prompt: text });
	},
);
