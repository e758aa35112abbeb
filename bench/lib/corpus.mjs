// The discovery corpus of docs/design/baselines.md §4, re-created: N eval files of about 150 lines each
// (an import of doteval, an interface, a 24-row data array, utility functions, a class, a union type,
// comments, and 2 `foreach("a,b", data)(async (...) => {...})` calls). Deterministic for a given N.
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';

export function evalFileText(i) {
	const rows = Array.from({ length: 24 }, (_, r) => `\t['question ${i}-${r}: what is ${r} + ${i % 7}?', '${r + (i % 7)}'],`);
	return `// Generated eval file ${i} for the discovery benchmark: about 150 lines, two evals.
import { foreach, Result } from 'doteval';
import { exactMatch } from 'doteval/evaluators';

/** A question for the model and the answer we expect. */
export interface Case${i} {
	question: string;
	answer: string;
	tags?: string[];
}

export type Verdict${i} = 'pass' | 'fail' | 'error' | 'skipped';

// The inline dataset: 24 rows of question and expected answer.
const data${i}: [string, string][] = [
${rows.join('\n')}
];

/** Normalise an answer before comparing: trim, lower-case, collapse spaces. */
function normalise(text: string): string {
	return text.trim().toLowerCase().replace(/\\s+/g, ' ');
}

/** Parse a number out of free text; NaN when there is none. */
function firstNumber(text: string): number {
	const match = /-?\\d+(\\.\\d+)?/.exec(text);
	return match ? Number(match[0]) : Number.NaN;
}

// A tiny mock model: answers arithmetic questions after a short wait.
class MockModel${i} {
	private calls = 0;

	constructor(private readonly latencyMs: number) {}

	async answer(question: string): Promise<string> {
		this.calls++;
		await new Promise((resolve) => setTimeout(resolve, this.latencyMs));
		const numbers = question.match(/\\d+/g)?.map(Number) ?? [];
		const sum = numbers.slice(-2).reduce((a, b) => a + b, 0);
		return String(sum);
	}

	get callCount(): number {
		return this.calls;
	}
}

const model${i} = new MockModel${i}(1);

/** Decide a verdict from a prediction and the expected answer. */
export function verdict${i}(prediction: string, expected: string): Verdict${i} {
	if (prediction === '') return 'error';
	return normalise(prediction) === normalise(expected) ? 'pass' : 'fail';
}

/** Summarise verdicts for a report. */
export function summarise${i}(verdicts: Verdict${i}[]): Record<Verdict${i}, number> {
	const counts: Record<Verdict${i}, number> = { pass: 0, fail: 0, error: 0, skipped: 0 };
	for (const v of verdicts) counts[v]++;
	return counts;
}

// Helpers used by the second eval: numeric closeness with a tolerance.
function close(a: number, b: number, tolerance = 1e-9): boolean {
	return Math.abs(a - b) <= tolerance * Math.max(1, Math.abs(a), Math.abs(b));
}

export const evalExact${i} = foreach('a,b', data${i})(async ({ a, b }: { a: string; b: string }) => {
	const prediction = await model${i}.answer(a);
	return new Result(exactMatch(normalise(prediction), normalise(b)), { prompt: a });
});

export const evalNumeric${i} = foreach('a,b', data${i})(async ({ a, b }: { a: string; b: string }) => {
	const prediction = await model${i}.answer(a);
	const ok = close(firstNumber(prediction), firstNumber(b));
	return new Result(ok, { prompt: a, modelResponse: prediction });
});

/** Tags for a case, derived from its question. */
export function tagsOf${i}(c: Case${i}): string[] {
	const tags: string[] = [];
	if (/\\+/.test(c.question)) tags.push('addition');
	if (c.question.length > 40) tags.push('long');
	return tags.concat(c.tags ?? []);
}

// Padding that resembles real helper code, so the file has the size of a real eval module.
export const describe${i} = {
	name: 'generated-${i}',
	rows: data${i}.length,
	evals: ['evalExact${i}', 'evalNumeric${i}'],
	created: '2026-11-27',
};

/** A small cache of answers by question, so repeated questions do not call the model twice. */
export class AnswerCache${i} {
	private readonly entries = new Map<string, string>();
	private hits = 0;
	private misses = 0;

	get(question: string): string | undefined {
		const hit = this.entries.get(question);
		if (hit === undefined) this.misses++;
		else this.hits++;
		return hit;
	}

	set(question: string, answer: string): void {
		this.entries.set(question, answer);
	}

	stats(): { hits: number; misses: number; size: number } {
		return { hits: this.hits, misses: this.misses, size: this.entries.size };
	}
}

/**
 * Render a short report line for the terminal.
 * Kept here so that the file has comments as a real module would.
 */
export function reportLine${i}(counts: Record<Verdict${i}, number>): string {
	const total = counts.pass + counts.fail + counts.error + counts.skipped;
	const rate = total ? (100 * counts.pass) / total : 0;
	return \`\${counts.pass}/\${total} passed (\${rate.toFixed(1)} %)\`;
}
`;
}

/** Write N eval files under dir (a folder with a package.json, inside the repository); returns their paths. */
export function writeCorpus(dir, n) {
	const stamp = path.join(dir, `.corpus-${n}`);
	const files = Array.from({ length: n }, (_, i) => path.join(dir, 'evals', `g${String(i).padStart(4, '0')}.eval.ts`));
	if (existsSync(stamp)) return files;
	rmSync(dir, { recursive: true, force: true });
	mkdirSync(path.join(dir, 'evals'), { recursive: true });
	writeFileSync(path.join(dir, 'package.json'), '{ "private": true, "type": "module" }\n');
	files.forEach((file, i) => writeFileSync(file, evalFileText(i)));
	writeFileSync(stamp, '');
	return files;
}
