/**
 * How durations and dates read, wherever doteval shows one: the CLI's reports, the language
 * server's lenses and hovers, the extension's history, test output and webviews. Pure and free of
 * Node APIs (the webviews bundle it for the browser).
 */

const pad = (n: number): string => String(n).padStart(2, '0');

/**
 * A duration for people: `950 ms`, `2.01 s`, `12.3 s`, `1 min 05 s`, `1 h 02 min`; a negative one
 * with a minus sign (a difference); `–` for a value that is not a number.
 * @example formatDuration(65_000) // '1 min 05 s'
 */
export function formatDuration(ms: number): string {
	if (!Number.isFinite(ms)) return '–';
	if (ms < 0) return `-${formatDuration(-ms)}`;
	if (Math.round(ms) < 1000) return `${Math.round(ms)} ms`;
	// Rounded first, so that 9999 ms reads `10.0 s` and 59 999 ms `1 min 00 s`, never `10.00 s` or `60.0 s`.
	if (Number((ms / 1000).toFixed(2)) < 10) return `${(ms / 1000).toFixed(2)} s`;
	if (Number((ms / 1000).toFixed(1)) < 60) return `${(ms / 1000).toFixed(1)} s`;
	const totalSeconds = Math.round(ms / 1000);
	const minutes = Math.floor(totalSeconds / 60);
	if (minutes < 60) return `${minutes} min ${pad(totalSeconds % 60)} s`;
	return `${Math.floor(minutes / 60)} h ${pad(minutes % 60)} min`;
}

/**
 * A moment in local time, to the second: `2026-11-27 14:05:09` (sortable, the same in every locale).
 * @example formatDate(Date.now())
 */
export function formatDate(epochMs: number): string {
	const d = new Date(epochMs);
	if (Number.isNaN(d.getTime())) return '–';
	return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}
