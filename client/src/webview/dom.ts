/**
 * The only way webview code builds DOM: elements from fixed tag names and attributes, content as
 * text nodes. Sample data (rows, prompts, model outputs, errors) is untrusted; going through `h()`
 * means it can never be parsed as HTML. (A static test forbids innerHTML & co. in this folder.)
 *
 * `DocumentLike` is the small part of `Document` used here, so renderers run in Node tests with a
 * fake document.
 */
export interface ElementLike {
	setAttribute(name: string, value: string): void;
	appendChild(child: unknown): unknown;
	textContent: string | null;
}

export interface DocumentLike<E extends ElementLike = ElementLike> {
	createElement(tag: string): E;
	createTextNode(text: string): unknown;
}

export type Child = ElementLike | string | number | null | undefined | false;

/** Attribute values are set with `setAttribute`, never concatenated into markup. */
export type Attributes = Record<string, string | number | boolean | undefined>;

export function h<E extends ElementLike>(doc: DocumentLike<E>, tag: string, attributes: Attributes = {}, ...children: Child[]): E {
	const element = doc.createElement(tag);
	for (const [name, value] of Object.entries(attributes)) {
		if (value === undefined || value === false) continue;
		element.setAttribute(name, value === true ? '' : String(value));
	}
	for (const child of children) append(doc, element, child);
	return element;
}

export function append(doc: DocumentLike, parent: ElementLike, child: Child): void {
	if (child === null || child === undefined || child === false) return;
	parent.appendChild(typeof child === 'string' || typeof child === 'number' ? doc.createTextNode(String(child)) : child);
}
