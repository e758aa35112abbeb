// The rate-limit bench workload for `doteval run`: N rows of the tutorial's sentiment texts, one
// chat completion each through doteval/models' fetch drop-in (plain fetch underneath), exact match.
// URL, N, WINDOW come from the environment (bench/models.mjs writes them).
import { ForEach, Result } from 'doteval';
import { exactMatch } from 'doteval/evaluators';
import { SlidingWindow } from 'doteval/concurrency';
import { modelFetch } from 'doteval/models';

const URL_ = process.env.URL!;
const N = Number(process.env.N ?? 100);
const WINDOW = Number(process.env.WINDOW ?? 100);
const texts: [string, string][] = [
	['This movie is absolutely amazing!', 'positive'],
	['Terrible plot and awful acting', 'negative'],
	['It was an okay film, nothing special', 'neutral'],
	['Great cinematography and excellent story', 'positive'],
];
const rows = Array.from({ length: N }, (_, i) => [`${texts[i % 4]![0]} #${i}`, texts[i % 4]![1]]);
const f = modelFetch();

export const evalApi = new ForEach({ concurrency: new SlidingWindow({ maxConcurrency: WINDOW }) })(
	'text,expected',
	rows,
)(async ({ text, expected }) => {
	const res = await f(`${URL_}/v1/chat/completions`, {
		method: 'POST',
		headers: { 'content-type': 'application/json', authorization: 'Bearer sk-bench' },
		body: JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: text }] }),
	});
	if (!res.ok) throw Object.assign(new Error(`HTTP ${res.status}`), { status: res.status, headers: res.headers });
	const body = (await res.json()) as { choices: Array<{ message: { content: string } }> };
	return new Result(exactMatch(body.choices[0]!.message.content, expected), { prompt: text });
});
