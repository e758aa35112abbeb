// Runs the variants of one comparison alternately (A B A B …) so that drift of the machine over the
// invocation hits every variant alike. Each measurement is repeated once when other
// processes used more than `maxOtherCores` during it and the machine is quiet again, as in
// docs/design/baselines.md (under steady load a repeat would only measure the same load again).
import { summarize } from './stats.mjs';
import { waitForQuiet } from './quiet.mjs';

/**
 * variants: [{ name, run: async () => ({ value, otherCores?, ...extra }) }]
 * Returns { [name]: { values: number[], summary, extras: object[] }, otherCores: {max, median} }.
 * @param {Array<{ name: string, run: (round: number) => Promise<any> }>} variants
 * @param {{ rounds: number, maxOtherCores?: number, log?: (message: string) => void }} options
 */
export async function alternate(variants, { rounds, maxOtherCores = 0.3, log = () => {} }) {
	/** @type {Record<string, any>} */
	const results = Object.fromEntries(variants.map((v) => [v.name, { values: [], extras: [] }]));
	const others = [];
	for (let round = 0; round < rounds; round++) {
		await waitForQuiet({ timeoutMs: 3000, windowMs: 300 });
		for (const variant of variants) {
			let r;
			for (let attempt = 0; attempt < 2; attempt++) {
				r = await variant.run(round);
				if (!(r.otherCores > maxOtherCores) || attempt === 1) break;
				// Repeat only if the machine got quiet again: under steady load a repeat measures the same load.
				const now = await waitForQuiet({ timeoutMs: 3000, windowMs: 300 });
				if (now >= 0.25) break;
				log(`  ${variant.name}: other load ${r.otherCores.toFixed(2)} cores during the run, repeating`);
			}
			results[variant.name].values.push(r.value);
			results[variant.name].extras.push(r);
			if (Number.isFinite(r.otherCores)) others.push(r.otherCores);
		}
	}
	for (const v of variants) results[v.name].summary = summarize(results[v.name].values);
	const o = summarize(others);
	results.otherCores = { max: o.max, median: o.median };
	return results;
}
