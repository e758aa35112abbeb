// The bench workload for evalite: the tutorial's 8 rows repeated to N (each input suffixed " #i"),
// a task that waits LAT_MS and classifies by keywords, and an exact-match scorer.
import { evalite } from 'evalite';
import { setTimeout as sleep } from 'node:timers/promises';

const N = Number(process.env.N ?? 8);
const LAT_MS = Number(process.env.LAT_MS ?? 1000);
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

evalite('sentiment', {
	data: async () => Array.from({ length: N }, (_, i) => ({ input: `${rows[i % 8][0]} #${i}`, expected: rows[i % 8][1] })),
	task: async (input: string) => {
		await sleep(LAT_MS);
		return classify(input);
	},
	scorers: [{ name: 'exactMatch', scorer: ({ output, expected }) => (output === expected ? 1 : 0) }],
});
