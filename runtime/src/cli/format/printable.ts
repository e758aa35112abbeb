/**
 * The one escape for text from data (rows, model output, error messages and types, score, metric,
 * eval and experiment names, file names) on its way to a human: a terminal obeys control characters,
 * so a model answer inside an error message could otherwise clear the screen (ESC[2J), retitle the
 * window (OSC 0), plant a hidden hyperlink (OSC 8) or rewrite the line it is on (`\r ESC[K ✓ ok`).
 *
 * Escaped, shown as visible text: C0 controls (except newline and tab in multi-line text), DEL, C1
 * controls (U+0080–U+009F: U+009B is a one-byte CSI to some terminals), the line/paragraph
 * separators, and the bidirectional overrides and isolates that reorder what is displayed.
 * Our own colours are added after escaping, by cli/format/style.ts, and so survive.
 */
const unsafe = /[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/gu;
const unsafeKeepingLines = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/gu;

const named: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t', '\x1b': '\\e' };

function escapeOne(ch: string): string {
	const code = ch.charCodeAt(0);
	return named[ch] ?? (code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`);
}

/** `text` with every control character shown as an escape (`\e[2J`, `\r`, `\x9b`, `\u202e`). */
export function printable(text: string, options: { multiline?: boolean } = {}): string {
	const pattern = options.multiline ? unsafeKeepingLines : unsafe;
	pattern.lastIndex = 0;
	return pattern.test(text) ? text.replace(pattern, escapeOne) : text;
}

/** Multi-line text (an error's stack, a log message): newlines and tabs stay, the rest is escaped. */
export function printableLines(text: string): string {
	return printable(text, { multiline: true });
}
