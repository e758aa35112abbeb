/** Number formatting shared by the webviews (pure, tested in Node); durations as everywhere (contracts/format.ts). */
import { formatDuration } from '../../../runtime/src/contracts/format.js';

export type Unit = 'ratio' | 'ms' | 'perSecond' | 'times' | 'count';

export function formatValue(value: number | null, unit: Unit): string {
	if (value === null || !Number.isFinite(value)) return '–';
	switch (unit) {
		case 'ms':
			return formatDuration(value);
		case 'perSecond':
			return `${value.toFixed(2)}/s`;
		case 'times':
			return `${value.toFixed(1)}×`;
		case 'count':
			return String(Math.round(value));
		case 'ratio':
			return value.toFixed(3);
	}
}

/** A signed difference: `+0.125`, `−6.01 s`. */
export function formatDelta(delta: number | null, unit: Unit): string {
	if (delta === null || !Number.isFinite(delta)) return '';
	const sign = delta > 0 ? '+' : delta < 0 ? '−' : '±';
	return `${sign}${formatValue(Math.abs(delta), unit)}`;
}

/** Whether a delta is an improvement, a regression or neither, given which direction is better. */
export function deltaTone(delta: number | null, better: 'higher' | 'lower'): 'better' | 'worse' | 'same' {
	if (delta === null || delta === 0 || !Number.isFinite(delta)) return 'same';
	return delta > 0 === (better === 'higher') ? 'better' : 'worse';
}

/** A histogram bin's label with as many decimals as its width needs: `0.2–0.4 ms`, `20–40 ms`, `1.5–2.0 s`. */
export function formatBin(fromMs: number, toMs: number): string {
	const width = toMs - fromMs;
	if (width <= 0) return formatDuration(fromMs);
	const inSeconds = fromMs >= 1000;
	const scale = inSeconds ? 1000 : 1;
	const decimals = Math.max(0, Math.min(3, -Math.floor(Math.log10(width / scale))));
	return `${(fromMs / scale).toFixed(decimals)}–${(toMs / scale).toFixed(decimals)} ${inSeconds ? 's' : 'ms'}`;
}
