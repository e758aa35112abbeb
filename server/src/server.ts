/**
 * Entry point of the doteval language server (bundled to dist/server.js). The transport comes
 * from the launch arguments: `--stdio`, `--node-ipc` or `--socket=N`.
 */
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { EvalServer } from './evalServer';
// Read-only, through the runtime's own readers: the embedded store (with the journals of a run in
// progress) or the PostgreSQL team store.
import { openReaderAt } from '../../runtime/src/store/open.js';

new EvalServer(createConnection(ProposedFeatures.all), (location) => openReaderAt(location)).listen();
