/**
 * The Test Explorer tree as plain data: workspace folder → file → eval → samples. Pure (no `vscode`
 * import) so it is unit-tested without an editor; `testController.ts` turns these nodes into TestItems.
 */
import * as path from 'node:path';
import type { EvalDefinition, FileEvals, Range } from '../../../runtime/src/contracts/editorProtocol.js';

export interface WorkspaceFolderInfo {
	name: string;
	/** Absolute file system path. */
	path: string;
}

interface NodeBase {
	/** Unique in the whole tree (TestItem ids need only be unique among siblings; we go further). */
	id: string;
	label: string;
	/** Absolute file path the node lives in (folders: the folder). */
	file: string;
}

export interface FolderNode extends NodeBase {
	kind: 'folder';
	children: FileNode[];
}
export interface FileNode extends NodeBase {
	kind: 'file';
	children: EvalNode[];
}
export interface EvalNode extends NodeBase {
	kind: 'eval';
	/** Runtime eval id, `<path relative to the project root>::<name>`. */
	evalId: string;
	name: string;
	range: Range | null;
	dynamic: boolean;
}
export interface SampleNode extends NodeBase {
	kind: 'sample';
	evalId: string;
	index: number;
}
export type TreeNode = FolderNode | FileNode | EvalNode | SampleNode;

export const folderId = (folderPath: string): string => `folder:${folderPath}`;
export const fileId = (file: string): string => `file:${file}`;
/** Keyed by absolute file + name: two workspace folders can hold the same relative eval id. */
export const evalNodeId = (file: string, name: string): string => `eval:${file}::${name}`;
export const sampleNodeId = (evalNode: string, index: number): string => `${evalNode}#${index}`;

/** The workspace folder that contains `file` (the deepest one), or undefined. */
export function folderOf(folders: readonly WorkspaceFolderInfo[], file: string): WorkspaceFolderInfo | undefined {
	return folders
		.filter((f) => file === f.path || file.startsWith(f.path.endsWith(path.sep) ? f.path : f.path + path.sep))
		.sort((a, b) => b.path.length - a.path.length)[0];
}

export function evalNode(def: Pick<EvalDefinition, 'id' | 'name' | 'file' | 'range' | 'dynamic'>): EvalNode {
	return {
		kind: 'eval',
		id: evalNodeId(def.file, def.name),
		label: def.name,
		file: def.file,
		evalId: def.id,
		name: def.name,
		range: def.range ?? null,
		dynamic: def.dynamic,
	};
}

export function fileNode(folder: WorkspaceFolderInfo | undefined, entry: FileEvals): FileNode {
	const label = folder ? path.relative(folder.path, entry.file).split(path.sep).join('/') : path.basename(entry.file);
	return { kind: 'file', id: fileId(entry.file), label, file: entry.file, children: entry.evals.map(evalNode) };
}

/**
 * Folders with the files that hold at least one eval, sorted by label. Files outside every workspace
 * folder go under a synthetic folder named after their directory.
 */
export function buildTree(folders: readonly WorkspaceFolderInfo[], files: readonly FileEvals[]): FolderNode[] {
	const byFolder = new Map<string, FolderNode>();
	for (const entry of files) {
		if (entry.evals.length === 0) continue;
		const folder = folderOf(folders, entry.file) ?? { name: path.basename(path.dirname(entry.file)), path: path.dirname(entry.file) };
		let node = byFolder.get(folder.path);
		if (!node) {
			node = { kind: 'folder', id: folderId(folder.path), label: folder.name, file: folder.path, children: [] };
			byFolder.set(folder.path, node);
		}
		node.children.push(fileNode(folder, entry));
	}
	const folderNodes = [...byFolder.values()].sort((a, b) => a.label.localeCompare(b.label));
	for (const f of folderNodes) f.children.sort((a, b) => a.label.localeCompare(b.label));
	return folderNodes;
}

const previewLength = 60;

/** A one-line preview of a dataset row: its first column's value, whitespace collapsed, truncated. */
export function rowPreview(row: Record<string, unknown> | null | undefined): string {
	if (!row) return '';
	const first = Object.values(row)[0];
	const text = (typeof first === 'string' ? first : (JSON.stringify(first) ?? '')).replace(/\s+/g, ' ').trim();
	return text.length > previewLength ? `${text.slice(0, previewLength - 1)}…` : text;
}

/** `#0 This movie is absolutely amazing!`: the label of a sample item. */
export function sampleLabel(index: number, row: Record<string, unknown> | null | undefined): string {
	const preview = rowPreview(row);
	return preview ? `#${index} ${preview}` : `#${index}`;
}

export function sampleNode(parent: EvalNode, index: number, row: Record<string, unknown> | null | undefined): SampleNode {
	return { kind: 'sample', id: sampleNodeId(parent.id, index), label: sampleLabel(index, row), file: parent.file, evalId: parent.evalId, index };
}
