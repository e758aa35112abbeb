/** An eval (or fixtures) file that failed to compile or to run its top level. */
export class LoadError extends Error {
	override name = 'LoadError';
	constructor(
		readonly file: string,
		message: string,
		/** 1-based position of a syntax error, when there is one. */
		readonly line?: number,
		readonly column?: number,
	) {
		super(message);
	}

	/** `file:line:column: message`, the form editors and terminals turn into links. */
	describe(): string {
		const where = this.line !== undefined ? `${this.file}:${this.line}:${this.column ?? 1}` : this.file;
		return `${where}: ${this.message}`;
	}
}
