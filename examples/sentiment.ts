/**
 * The tutorial's test dataset and the helpers its mock models share. The models wait 1 s per call
 * ("simulate API latency"); set DOTEVAL_EXAMPLE_LATENCY_SCALE=0.05 to make every wait 20× shorter.
 */

export const sentimentData: [text: string, expected: string][] = [
	['This movie is absolutely amazing!', 'positive'],
	['Terrible plot and awful acting', 'negative'],
	['It was an okay film, nothing special', 'neutral'],
	['Great cinematography and excellent story', 'positive'],
	['Bad writing and terrible direction', 'negative'],
	['Average movie with decent performances', 'neutral'],
	['Amazing visuals and great soundtrack', 'positive'],
	['Awful script and bad character development', 'negative'],
];

/** `seconds` of simulated latency, in milliseconds, scaled by DOTEVAL_EXAMPLE_LATENCY_SCALE. */
export function latencyMs(seconds: number): number {
	const scale = Number(process.env.DOTEVAL_EXAMPLE_LATENCY_SCALE ?? '1');
	return seconds * 1000 * (Number.isFinite(scale) && scale >= 0 ? scale : 1);
}

/** The tutorial's keyword classifier (what every mock model answers). */
export function classifySentiment(text: string): string {
	const lower = text.toLowerCase();
	if (['great', 'amazing', 'excellent'].some((word) => lower.includes(word))) return 'positive';
	if (['terrible', 'awful', 'bad'].some((word) => lower.includes(word))) return 'negative';
	return 'neutral';
}

/** Blocks the whole thread, like Python's time.sleep: nothing else can run meanwhile. */
export function blockingSleep(ms: number): void {
	Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** Waits without blocking, like Python's asyncio.sleep: other samples can run meanwhile. */
export function sleep(ms: number): Promise<void> {
	return new Promise((resolve) => setTimeout(resolve, ms));
}
