import { printable } from './printable.js';

/** Colour only on a terminal (and never when NO_COLOR is set): plain text everywhere else. */
export interface Style {
	bold(text: string): string;
	dim(text: string): string;
	green(text: string): string;
	red(text: string): string;
	yellow(text: string): string;
}

const wrap = (open: number, close: number) => (text: string) => `\x1b[${open}m${text}\x1b[${close}m`;

export function makeStyle(isTTY: boolean, env: NodeJS.ProcessEnv = {}): Style {
	if (!isTTY || env.NO_COLOR) {
		const plain = (text: string) => text;
		return { bold: plain, dim: plain, green: plain, red: plain, yellow: plain };
	}
	return { bold: wrap(1, 22), dim: wrap(2, 22), green: wrap(32, 39), red: wrap(31, 39), yellow: wrap(33, 39) };
}

export function statusText(style: Style, status: string): string {
	if (status === 'completed') return style.green(status);
	if (status === 'failed') return style.red(status);
	if (status === 'interrupted' || status === 'running') return style.yellow(status);
	return status;
}

/** A value for one line of text: JSON (control characters escaped), cut to `max` characters. */
export function oneLine(value: unknown, max = 120): string {
	const text = printable(JSON.stringify(value) ?? 'null');
	return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** A plain string on one line (control characters escaped), cut to `max` characters. */
export function clip(text: string, max = 120): string {
	const flat = printable(text.replace(/\s*\n\s*/g, ' '));
	return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}
