/**
 * A minimal fake of the DOM the webview renderers use. Its elements refuse every HTML-parsing entry
 * point (innerHTML, outerHTML, insertAdjacentHTML), so a renderer that switches to markup fails the
 * tests instead of silently parsing a model's output. Not a test file itself.
 */
export class FakeText {
	readonly nodeType = 3;
	constructor(readonly data: string) {}
	get textContent(): string {
		return this.data;
	}
}

export class FakeElement {
	readonly nodeType = 1;
	readonly attributes = new Map<string, string>();
	readonly children: (FakeElement | FakeText)[] = [];

	constructor(readonly tagName: string) {}

	setAttribute(name: string, value: string): void {
		this.attributes.set(name, value);
	}

	appendChild(child: unknown): unknown {
		if (!(child instanceof FakeElement || child instanceof FakeText)) throw new Error(`appendChild of a non-node: ${String(child)}`);
		this.children.push(child);
		return child;
	}

	get textContent(): string {
		return this.children.map((child) => child.textContent).join('');
	}

	set textContent(value: string | null) {
		this.children.length = 0;
		if (value) this.children.push(new FakeText(value));
	}

	set innerHTML(_: string) {
		throw new Error('innerHTML used: sample content must be rendered as text');
	}

	set outerHTML(_: string) {
		throw new Error('outerHTML used: sample content must be rendered as text');
	}

	insertAdjacentHTML(): void {
		throw new Error('insertAdjacentHTML used: sample content must be rendered as text');
	}

	/** Every element in the subtree, this one included. */
	*walk(): Generator<FakeElement> {
		yield this;
		for (const child of this.children) if (child instanceof FakeElement) yield* child.walk();
	}

	/** Every text node in the subtree. */
	*texts(): Generator<FakeText> {
		for (const child of this.children) {
			if (child instanceof FakeText) yield child;
			else yield* child.texts();
		}
	}
}

export const fakeDocument = {
	createElement: (tag: string) => new FakeElement(tag.toLowerCase()),
	createTextNode: (text: string) => new FakeText(text),
};
