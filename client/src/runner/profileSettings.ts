/**
 * The Run profile's configuration (the gear next to Run in the Testing view): how many samples a run
 * takes, how many run at once, and which experiment it goes into. Kept per workspace. A continuous
 * run (re-run on save) takes at most `continuousSampleCap` samples unless the profile says how many:
 * every save would otherwise pay for the whole dataset's model calls. Pure.
 */
export interface ProfileSettings {
	/** The first N samples of each eval; absent: all. */
	samples?: number;
	/** N samples at once (`--concurrency`); absent: the eval's own strategy. */
	concurrency?: number;
	/** The experiment runs go into, replacing the samples they run; absent: the editor's (`doteval.experiment`). */
	experiment?: string;
}

export const continuousSampleCap = 10;

/** The run options the settings give: what planRuns and experimentChoice take. */
export function profileRunOptions(settings: ProfileSettings, continuous: boolean): { samples?: number; concurrency?: number; experiment?: string } {
	const samples = settings.samples ?? (continuous ? continuousSampleCap : undefined);
	return {
		...(samples !== undefined ? { samples } : {}),
		...(settings.concurrency !== undefined ? { concurrency: settings.concurrency } : {}),
		...(settings.experiment ? { experiment: settings.experiment } : {}),
	};
}

/** A value typed into the input box: empty means the default; otherwise a whole number ≥ 1. */
export function parseCount(text: string, what: string): { value: number | undefined } | { error: string } {
	const t = text.trim();
	if (t === '') return { value: undefined };
	if (!/^\d+$/.test(t) || Number(t) < 1) return { error: `${what} must be a whole number of 1 or more, or empty for the default.` };
	return { value: Number(t) };
}

/** An experiment name typed into the input box: empty means the editor's experiment. */
export function parseExperimentName(text: string): { value: string | undefined } | { error: string } {
	const t = text.trim();
	if (t === '') return { value: undefined };
	if (/[\u0000-\u001f]/.test(t)) return { error: 'An experiment name cannot contain control characters.' };
	return { value: t };
}

/** Settings read back from workspace state, keeping only well-formed values (the state may be from another version). */
export function readProfileSettings(stored: unknown): ProfileSettings {
	const s = (typeof stored === 'object' && stored !== null ? stored : {}) as Record<string, unknown>;
	const count = (v: unknown) => (typeof v === 'number' && Number.isSafeInteger(v) && v >= 1 ? v : undefined);
	const settings: ProfileSettings = {};
	const samples = count(s.samples);
	const concurrency = count(s.concurrency);
	if (samples !== undefined) settings.samples = samples;
	if (concurrency !== undefined) settings.concurrency = concurrency;
	if (typeof s.experiment === 'string' && s.experiment.trim()) settings.experiment = s.experiment.trim();
	return settings;
}

/** One line for the log and the profile's description: `10 samples · concurrency 4 · experiment baseline`. */
export function describeProfile(settings: ProfileSettings): string {
	const parts = [
		settings.samples !== undefined ? `${settings.samples} samples` : 'all samples',
		...(settings.concurrency !== undefined ? [`concurrency ${settings.concurrency}`] : []),
		...(settings.experiment ? [`experiment ${settings.experiment}`] : []),
	];
	return parts.join(' · ');
}
