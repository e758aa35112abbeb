// The baseline of the first-lens benchmark (bench/lsp.mjs): the smallest language server on the same
// library as doteval's (vscode-languageserver over stdio, bundled to one CommonJS file as dist/server.js
// is), answering every CodeLens request at once with one fixed lens. What is left above it is doteval's own start-up: its code, the compiler, the parse.
import { createConnection, TextDocuments, TextDocumentSyncKind } from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';

const connection = createConnection();
const documents = new TextDocuments(TextDocument);
connection.onInitialize(() => ({ capabilities: { textDocumentSync: TextDocumentSyncKind.Incremental, codeLensProvider: { resolveProvider: false } } }));
connection.onCodeLens(({ textDocument }) =>
	documents.get(textDocument.uri)
		? [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, command: { title: '▶ Run', command: 'noop' } }]
		: [],
);
documents.listen(connection);
connection.listen();
