/**
 * `llmJudge(options)`: a model-graded evaluator. It asks your model (through your client, so the
 * judge's calls share the run's budget and cache) to grade an answer against a rubric, and turns the
 * choice it ends with into a Score; the judge's reasoning goes into the score's metadata. Time inside
 * the judge is the sample's judge time (shown apart from the task's latency in the waterfall).
 *
 *   const correct = llmJudge({ rubric: 'The answer names the same city as the reference.', complete });
 *   return new Result(await correct(answer, { reference: expected, input: question }));
 */
import { Score, type ScoreValue } from '../core/result.js';
import { metricNameOf, type Metric } from '../metrics/metric.js';
import { currentSample } from './context.js';

/** Options of `llmJudge()`: the rubric, the model call, the choices and what they score, the score's name and metrics. */
export interface JudgeOptions {
	/** What a good answer is, in words. */
	rubric: string;
	/** Calls your model with the judge's prompt and returns its text (use a client made with modelFetch). */
	complete: (prompt: string) => Promise<string>;
	/** Labels the judge picks from → the score's value. Default { A: true, B: false } (A: meets the rubric). */
	choices?: Record<string, ScoreValue>;
	/** What each label means, shown to the judge. Default for A/B: "meets the rubric" / "does not". */
	describeChoices?: Record<string, string>;
	/** Score name. Default "llmJudge". */
	name?: string;
	/** Metrics the score feeds. Default accuracy for true/false or 0/1 choices, else mean. */
	metrics?: Array<Metric | string>;
}

/** The judge's reply does not end with `CHOICE: <label>` naming one of its choices: the sample errors with it. */
export class JudgeAnswerError extends Error {
	override name = 'JudgeAnswerError';
}

/** What the judge sees besides the answer: the question and a reference answer. */
export interface JudgeInput {
	/** The question or task the answer responds to. */
	input?: string;
	/** A reference answer to compare with. */
	reference?: string;
}

const DEFAULT_CHOICES: Record<string, ScoreValue> = { A: true, B: false };
const DEFAULT_DESCRIPTIONS: Record<string, string> = { A: 'the answer meets the rubric', B: 'the answer does not meet the rubric' };

export function judgePrompt(rubric: string, answer: string, given: JudgeInput, descriptions: Record<string, string>): string {
	const parts = [
		'You are grading an answer. Rate the answer against the rubric.',
		`Rubric: ${rubric}`,
		...(given.input !== undefined ? [`<input>${given.input}</input>`] : []),
		`<answer>${answer}</answer>`,
		...(given.reference !== undefined ? [`<reference>${given.reference}</reference>`] : []),
		'Explain your reasoning briefly, then end with one line "CHOICE: <label>", where <label> is one of:',
		...Object.entries(descriptions).map(([label, meaning]) => `${label}: ${meaning}`),
	];
	return parts.join('\n');
}

/** The judge's last "CHOICE: X" line → X and the reasoning before it. */
export function parseChoice(text: string, labels: string[]): { choice: string; reasoning: string } | undefined {
	const re = /^\s*\**CHOICE\**\s*:\s*\**\s*([A-Za-z0-9_-]+)/gim;
	let last: RegExpExecArray | undefined;
	for (let m = re.exec(text); m; m = re.exec(text)) last = m;
	if (!last) return undefined;
	const choice = labels.find((l) => l.toLowerCase() === last![1]!.toLowerCase());
	return choice === undefined ? undefined : { choice, reasoning: text.slice(0, last.index).trim() };
}

/**
 * A model-graded evaluator: asks your model to grade an answer against a rubric and returns the
 * choice as a Score, with the judge's reasoning in the score's metadata.
 * @example
 * const correct = llmJudge({ rubric: 'The answer names the same city as the reference.', complete });
 * return new Result(await correct(answer, { reference: expected, input: question }));
 */
export function llmJudge(options: JudgeOptions): (answer: unknown, given?: JudgeInput) => Promise<Score> {
	if (!options || typeof options.rubric !== 'string' || options.rubric.trim() === '')
		throw new TypeError('llmJudge: give a rubric, e.g. { rubric: "The answer names the same city as the reference.", complete }');
	if (typeof options.complete !== 'function')
		throw new TypeError('llmJudge: complete must be a function (prompt) => Promise<string> that calls your model, e.g. with a client made with modelFetch()');
	const choices = options.choices ?? DEFAULT_CHOICES;
	const labels = Object.keys(choices);
	if (labels.length < 2) throw new TypeError('llmJudge: choices needs at least two labels, e.g. { A: true, B: false }');
	const descriptions = options.describeChoices ?? (options.choices ? Object.fromEntries(labels.map((l) => [l, String(choices[l])])) : DEFAULT_DESCRIPTIONS);
	const name = options.name ?? 'llmJudge';
	const values = Object.values(choices);
	const passFail = values.every((v) => typeof v === 'boolean' || v === 0 || v === 1);
	const metrics = (options.metrics ?? [passFail ? 'accuracy' : 'mean']).map(metricNameOf);

	return async (answer, given = {}) => {
		const text = typeof answer === 'string' ? answer : JSON.stringify(answer);
		const prompt = judgePrompt(options.rubric, text, given, descriptions);
		const sample = currentSample();
		const t0 = performance.now();
		const budget0 = sample?.budgetMs ?? 0;
		const wasInJudge = sample?.inJudge ?? false;
		if (sample) sample.inJudge = true;
		let reply: string;
		try {
			reply = await options.complete(prompt);
		} finally {
			if (sample) {
				sample.inJudge = wasInJudge;
				// Nested judges count once; budget waits inside the judge stay budget time.
				if (!wasInJudge) sample.judgeMs += performance.now() - t0 - (sample.budgetMs - budget0);
			}
		}
		const parsed = parseChoice(String(reply ?? ''), labels);
		if (!parsed) throw new JudgeAnswerError(`${name}: the judge's answer does not end with "CHOICE: <${labels.join('|')}>": ${String(reply).slice(0, 300)}`);
		return new Score(name, choices[parsed.choice]!, metrics, { choice: parsed.choice, reasoning: parsed.reasoning, rubric: options.rubric });
	};
}
