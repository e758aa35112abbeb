/**
 * A text test far cheaper than a parse (a parse is about 31× a regex scan: docs/design/baselines.md §4): a file can only define
 * evals if it mentions doteval and a foreach/ForEach or batch.
 */
const mentionsDoteval = /\bdoteval\b/;
const mentionsForeach = /foreach|\bbatch\b/i;

export function mightHaveEvals(text: string): boolean {
	return mentionsDoteval.test(text) && mentionsForeach.test(text);
}
