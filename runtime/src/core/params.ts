/**
 * Reads which names a function's first parameter destructures, from the function's source text
 * (`fn.toString()`; esbuild and tsx keep destructuring patterns as written). That is how an eval or a
 * fixture asks for fixtures: `async ({ text, expected, asyncModel }) => …` names three values.
 *
 * A small scanner, not a parser: it understands strings, template literals, comments and nested
 * brackets well enough to skip default values and nested patterns.
 */

export interface DestructuredNames {
	/** Top-level keys of the pattern, in order. */
	names: string[];
	/** Keys with a default value (`{ model = fallback }`): missing is fine. */
	optional: Set<string>;
}

const IDENT_START = /[A-Za-z_$\u00a0-\uffff]/;
const IDENT_PART = /[\w$\u00a0-\uffff]/;

class Scanner {
	i = 0;
	constructor(readonly s: string) {}

	peek(n = 0): string {
		return this.s[this.i + n] ?? '';
	}

	startsWith(text: string): boolean {
		return this.s.startsWith(text, this.i);
	}

	skipSpace(): void {
		for (;;) {
			const c = this.peek();
			if (c === ' ' || c === '\t' || c === '\n' || c === '\r') this.i++;
			else if (this.startsWith('//')) {
				const end = this.s.indexOf('\n', this.i);
				this.i = end < 0 ? this.s.length : end + 1;
			} else if (this.startsWith('/*')) {
				const end = this.s.indexOf('*/', this.i + 2);
				this.i = end < 0 ? this.s.length : end + 2;
			} else return;
		}
	}

	identifier(): string | null {
		if (!IDENT_START.test(this.peek())) return null;
		const start = this.i;
		while (this.i < this.s.length && IDENT_PART.test(this.peek())) this.i++;
		return this.s.slice(start, this.i);
	}

	/** Skips a quoted string starting at the current quote; returns its (unescaped-enough) content. */
	string(): string {
		const quote = this.peek();
		const start = ++this.i;
		while (this.i < this.s.length && this.peek() !== quote) this.i += this.peek() === '\\' ? 2 : 1;
		const text = this.s.slice(start, this.i);
		this.i++;
		return text;
	}

	template(): void {
		this.i++; // `
		while (this.i < this.s.length && this.peek() !== '`') {
			if (this.peek() === '\\') this.i += 2;
			else if (this.startsWith('${')) {
				this.i += 2;
				this.expression('}');
				this.i++; // }
			} else this.i++;
		}
		this.i++;
	}

	/** Skips an expression or nested pattern until a top-level `,` or the given closer. */
	expression(closer: string): void {
		let depth = 0;
		while (this.i < this.s.length) {
			this.skipSpace();
			const c = this.peek();
			if (depth === 0 && (c === ',' || c === closer)) return;
			if (c === '"' || c === "'") this.string();
			else if (c === '`') this.template();
			else {
				if (c === '(' || c === '[' || c === '{') depth++;
				else if (c === ')' || c === ']' || c === '}') depth--;
				this.i++;
			}
		}
	}

	/** Moves to just after the opening `(` of the parameter list; returns 'arrow-ident' for `x => …`. */
	toParameters(): 'paren' | 'arrow-ident' | 'none' {
		this.skipSpace();
		if (this.startsWith('async') && !IDENT_PART.test(this.peek(5))) {
			this.i += 5;
			this.skipSpace();
		}
		if (this.startsWith('function') && !IDENT_PART.test(this.peek(8))) {
			this.i += 8;
			this.skipSpace();
		}
		if (this.peek() === '*') {
			this.i++;
			this.skipSpace();
		}
		if (this.peek() === '(') {
			this.i++;
			return 'paren';
		}
		if (this.peek() === '[')
			this.expression('('); // computed method name
		else if (this.peek() === '"' || this.peek() === "'") this.string();
		else {
			const name = this.identifier();
			if (name === null) return 'none';
			this.skipSpace();
			if (this.startsWith('=>')) return 'arrow-ident';
		}
		this.skipSpace();
		if (this.peek() !== '(') return 'none';
		this.i++;
		return 'paren';
	}
}

/**
 * The names destructured by `fn`'s first parameter, or null when that parameter is not an object
 * pattern (a plain identifier, `...rest` inside the pattern, computed keys): the caller then provides
 * everything it can. A function with no parameter gives an empty list.
 */
export function destructuredNames(fn: (...args: never[]) => unknown): DestructuredNames | null {
	const sc = new Scanner(Function.prototype.toString.call(fn));
	if (sc.toParameters() !== 'paren') return null;
	sc.skipSpace();
	if (sc.peek() === ')') return { names: [], optional: new Set() };
	if (sc.peek() !== '{') return null;
	sc.i++;
	const names: string[] = [];
	const optional = new Set<string>();
	for (;;) {
		sc.skipSpace();
		const c = sc.peek();
		if (c === '}') return { names, optional };
		if (c === '' || sc.startsWith('...') || c === '[') return null;
		let key: string | null;
		if (c === '"' || c === "'") key = sc.string();
		else if (/[0-9]/.test(c)) {
			const start = sc.i;
			while (/[\w.]/.test(sc.peek())) sc.i++;
			key = sc.s.slice(start, sc.i);
		} else key = sc.identifier();
		if (key === null) return null;
		names.push(key);
		sc.skipSpace();
		if (sc.peek() === ':') {
			sc.i++;
			const before = sc.i;
			sc.expression('}');
			if (/=(?![=>])/.test(sc.s.slice(before, sc.i).replace(/(['"`]).*?\1/g, ''))) optional.add(key);
		} else if (sc.peek() === '=') {
			sc.i++;
			optional.add(key);
			sc.expression('}');
		}
		sc.skipSpace();
		if (sc.peek() === ',') sc.i++;
		else if (sc.peek() !== '}') return null;
	}
}

/** Names of a function's simple parameters (`arg0`, `arg1`, … for patterns), for score metadata. */
export function parameterNames(fn: (...args: never[]) => unknown): string[] {
	const sc = new Scanner(Function.prototype.toString.call(fn));
	const kind = sc.toParameters();
	if (kind === 'arrow-ident') {
		const text = Function.prototype.toString.call(fn);
		const m = /^\s*(?:async\s+)?([\w$]+)\s*=>/.exec(text);
		return m ? [m[1]!] : ['arg0'];
	}
	if (kind !== 'paren') return [];
	const names: string[] = [];
	for (let index = 0; ; index++) {
		sc.skipSpace();
		if (sc.peek() === ')' || sc.peek() === '') return names;
		if (sc.startsWith('...')) sc.i += 3;
		const name = sc.identifier();
		names.push(name ?? `arg${index}`);
		sc.expression(')');
		if (sc.peek() === ',') sc.i++;
	}
}
