/** The command line of a `doteval run` started by the editor. Pure. */
export interface RunRequest {
	/** `file.ts`, `dir`, or `file.ts::evalName` selectors relative to the project root; empty = every eval. */
	selectors: string[];
	experiment?: string;
	/** Run only the first N samples. */
	samples?: number;
	/** Run only these sample indexes (0-based). */
	onlySamples?: number[];
	/** Run N samples at once, whatever the eval's strategy (`--concurrency`). */
	concurrency?: number;
	/** Store location, absolute or relative to the project root. */
	storage?: string;
	/** Run the selected samples even when the experiment has them, replacing them (`--rerun`). */
	rerun?: boolean;
}

export function runArgs(request: RunRequest): string[] {
	const args = ['run', '--reporter', 'jsonl', ...request.selectors];
	if (request.experiment) args.push('--experiment', request.experiment);
	if (request.samples !== undefined) args.push('--samples', String(request.samples));
	if (request.onlySamples?.length) args.push('--only-samples', [...new Set(request.onlySamples)].sort((a, b) => a - b).join(','));
	if (request.concurrency !== undefined) args.push('--concurrency', String(request.concurrency));
	if (request.storage) args.push('--storage', request.storage);
	if (request.rerun) args.push('--rerun');
	return args;
}

/** "1, 5,7" → [1, 5, 7]; throws with a readable message on anything else. */
export function parseSampleIndexes(text: string): number[] {
	const parts = text
		.split(',')
		.map((p) => p.trim())
		.filter(Boolean);
	if (parts.length === 0) throw new Error('Enter one or more sample indexes, e.g. 3 or 1,5.');
	return parts.map((p) => {
		if (!/^\d+$/.test(p)) throw new Error(`"${p}" is not a sample index: use 0-based integers such as 0, 3 or 1,5.`);
		return Number(p);
	});
}
