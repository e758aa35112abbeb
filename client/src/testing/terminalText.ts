/**
 * Test Results output is a terminal: a bare \n moves the cursor down without returning it to the
 * first column, so multi-line text (stacks, load errors) would render as a staircase. Pure.
 */
export function terminalText(text: string): string {
	return text.replace(/\r?\n/g, '\r\n');
}
