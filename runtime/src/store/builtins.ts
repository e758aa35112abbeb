/**
 * node:crypto, loaded on first use: only writing needs it (journal and temporary names, file keys, run
 * ids), so a reader (`doteval list`, a hover of the language server) never loads it (5–10 ms of CPU
 * at start-up, a good part of what `list` adds to `doteval --version`).
 */
import { createRequire } from 'node:module';
import * as path from 'node:path';

type Crypto = typeof import('node:crypto');
let crypto: Crypto | undefined;

// Built-ins resolve from any folder: no import.meta or __filename, which differ between the ESM and CJS bundles.
export const nodeCrypto = (): Crypto => (crypto ??= createRequire(path.resolve('/'))('node:crypto') as Crypto);
