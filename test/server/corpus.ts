/**
 * Generated eval files shaped like the corpus of docs/design/baselines.md §4: 149 lines, an import of
 * doteval, an interface, a 24-row dataset, utility functions, a class, a union type and two
 * `foreach(...)(async ...)` evals. Used by the performance test (and usable by bench/).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';

export function evalFileText(i: number): string {
	const lines = [
		`import { foreach, Result } from 'doteval';`,
		`import { exactMatch } from 'doteval/evaluators';`,
		``,
		`/** Row shape of file ${i}. */`,
		`interface Row${i} { question: string; answer: string; score?: number }`,
		``,
		`const data: Array<[string, string]> = [`,
	];
	for (let r = 0; r < 24; r++) lines.push(`\t['What is ${r} + ${i}?', '${r + i}'], // row ${r}`);
	lines.push(`];`, ``);
	for (let u = 0; u < 6; u++)
		lines.push(
			`// utility ${u}: normalises answers`,
			`export function normalise${u}(s: string): string {`,
			`\treturn s.trim().toLowerCase().replace(/\\s+/g, ' ').slice(0, ${u + 10});`,
			`}`,
			``,
		);
	lines.push(
		`export class Model${i} {`,
		`\tprivate calls = 0;`,
		`\tasync answer(q: string): Promise<string> {`,
		`\t\tthis.calls++;`,
		`\t\treturn q.length % 2 ? 'odd' : 'even';`,
		`\t}`,
		`}`,
		``,
		`export type Outcome${i} = 'pass' | 'fail' | { error: string };`,
		``,
	);
	lines.push(
		`export const evalA${i} = foreach('question,answer', data)(async ({ question, answer }) => {`,
		`\tconst out = await new Model${i}().answer(question);`,
		`\treturn new Result(exactMatch(out, answer));`,
		`});`,
		``,
	);
	lines.push(
		`export const evalB${i} = foreach('question,answer', data)(async ({ question, answer }) => {`,
		`\tconst out = normalise0(question);`,
		`\treturn new Result(exactMatch(out, answer));`,
		`});`,
	);
	while (lines.length < 149) lines.push(`// comment line ${lines.length}: what this part of the evaluation checks and why`);
	return lines.join('\n') + '\n';
}

/** Write `count` eval files (and a package.json) under `dir`; returns their paths. */
export function writeCorpus(dir: string, count: number): string[] {
	mkdirSync(dir, { recursive: true });
	writeFileSync(path.join(dir, 'package.json'), '{ "name": "corpus" }');
	return Array.from({ length: count }, (_, i) => {
		const file = path.join(dir, `e${String(i).padStart(4, '0')}.eval.ts`);
		writeFileSync(file, evalFileText(i));
		return file;
	});
}
