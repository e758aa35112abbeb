/** Creating and finding TestItems for tree nodes: folder → file → eval → samples. */
import * as vscode from 'vscode';
import { setNode, nodeOf } from './testData';
import { evalNodeId, sampleNode, type EvalNode, type FileNode, type FolderNode, type TreeNode } from './treeModel';

const toRange = (r: { start: { line: number; character: number }; end: { line: number; character: number } } | null) =>
	r ? new vscode.Range(r.start.line, r.start.character, r.end.line, r.end.character) : undefined;

/** Sample items sort by index (#2 before #10), not by label. */
const sortIndex = (index: number) => String(index).padStart(9, '0');

export function makeItem(controller: vscode.TestController, node: TreeNode): vscode.TestItem {
	const uri = node.kind === 'folder' ? vscode.Uri.file(node.file) : vscode.Uri.file(node.file);
	const item = controller.createTestItem(node.id, node.label, uri);
	setNode(item, node);
	if (node.kind === 'eval') {
		item.range = toRange(node.range);
		item.canResolveChildren = true;
		if (node.dynamic) item.description = 'dynamic';
	}
	if (node.kind === 'sample') item.sortText = sortIndex(node.index);
	return item;
}

/** Replaces the children of `parent` (or the roots) with items for `nodes`, keeping existing items (and their samples). */
export function syncChildren(controller: vscode.TestController, collection: vscode.TestItemCollection, nodes: readonly TreeNode[]): void {
	const next: vscode.TestItem[] = [];
	for (const node of nodes) {
		let item = collection.get(node.id);
		if (item) {
			setNode(item, node);
			item.label = node.label;
			if (node.kind === 'eval') item.range = toRange(node.range);
		} else {
			item = makeItem(controller, node);
		}
		if (node.kind === 'folder' || node.kind === 'file') syncChildren(controller, item.children, (node as FolderNode | FileNode).children);
		next.push(item);
	}
	collection.replace(next);
}

/** The eval item for a file + name, created under its file item if discovery did not report it. */
export function findEvalItem(controller: vscode.TestController, file: string, name: string): vscode.TestItem | undefined {
	const id = evalNodeId(file, name);
	for (const [, folder] of controller.items) {
		for (const [, fileItem] of folder.children) {
			const found = fileItem.children.get(id);
			if (found) return found;
		}
	}
	return undefined;
}

export function ensureEvalItem(controller: vscode.TestController, node: EvalNode, fileLabel: string): vscode.TestItem {
	const existing = findEvalItem(controller, node.file, node.name);
	if (existing) return existing;
	// Not discovered statically (dynamic eval, or discovery not finished): hang it under its file.
	const fileKey = `file:${node.file}`;
	let fileItem: vscode.TestItem | undefined;
	for (const [, folder] of controller.items) fileItem ??= folder.children.get(fileKey);
	if (!fileItem) {
		fileItem = makeItem(controller, { kind: 'file', id: fileKey, label: fileLabel, file: node.file, children: [] });
		controller.items.add(fileItem);
	}
	const item = makeItem(controller, node);
	fileItem.children.add(item);
	return item;
}

export function ensureSampleItem(controller: vscode.TestController, evalItem: vscode.TestItem, index: number, label: string | undefined): vscode.TestItem {
	const parent = nodeOf(evalItem);
	if (parent.kind !== 'eval') throw new Error(`doteval: ${evalItem.id} is not an eval item`);
	const node = sampleNode(parent, index, null);
	let item = evalItem.children.get(node.id);
	if (!item) {
		item = makeItem(controller, label ? { ...node, label } : node);
		item.range = evalItem.range;
		evalItem.children.add(item);
	} else if (label && item.label !== label) {
		item.label = label;
		setNode(item, { ...node, label });
	}
	return item;
}
