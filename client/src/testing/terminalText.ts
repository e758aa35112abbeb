/**
 * Test Results output is a terminal: a bare \n moves the cursor down without returning it to the
 * first column, so multi-line text (stacks, load errors) would render as a staircase. Pure.
 */
export function terminalText(text: string): string {
	return text.replace(/\r?\n/g, '\r\n');
}

/**
 * A sample's printed output for the Test Results terminal: colours (SGR, `ESC[…m`) are kept, every
 * other escape sequence (cursor moves, screen clears, OSC titles, links, clipboard) and control
 * character is dropped — a print of model output must not drive the terminal — and lines end in
 * \r\n. Ends with a line end, so the next sample's output starts on its own line. Pure.
 */
export function terminalOutput(text: string): string {
	const clean = text
		.replace(
			/\u001b\[([0-?]*)([ -/]*)([@-~])|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)?|\u001b[P^_X][^\u001b]*(?:\u001b\\)?|\u001b[@-Z\\-_]?/g,
			(seq: string, params: string | undefined, inter: string | undefined, final: string | undefined) =>
				final === 'm' && !inter && /^[\d;]*$/.test(params ?? '') ? seq : '',
		)
		.replace(/[\u0000-\u0008\u000b-\u000c\u000e-\u001a\u001c-\u001f\u007f]/g, '')
		.replace(/\r(?!\n)/g, '');
	return terminalText(clean.endsWith('\n') ? clean : `${clean}\n`);
}

/** One line of data (a sample's label) safe to print in the terminal: no control characters at all. */
export function terminalLine(text: string): string {
	return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, ' ');
}
