/**
 * Entry point of the doteval language server (bundled to dist/server.js). The transport comes
 * from the launch arguments: `--stdio`, `--node-ipc` or `--socket=N`.
 */
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { EvalServer } from './evalServer';
// Read-only, through the runtime's own reader: it also replays the journals of a run in progress.
import { openStoreReader } from '../../runtime/src/store/store';

new EvalServer(createConnection(ProposedFeatures.all), openStoreReader).listen();
