/** The plain tree node behind each TestItem (test-provider-sample's WeakMap pattern). */
import type * as vscode from 'vscode';
import type { TreeNode } from './treeModel';

const nodes = new WeakMap<vscode.TestItem, TreeNode>();

export function setNode(item: vscode.TestItem, node: TreeNode): void {
	nodes.set(item, node);
}

export function nodeOf(item: vscode.TestItem): TreeNode {
	const node = nodes.get(item);
	if (!node)
		throw new Error(`doteval: no data for test item "${item.id}". This is a bug in the doteval extension; please report it with the log ("doteval" output).`);
	return node;
}
