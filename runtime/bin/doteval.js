#!/usr/bin/env node
// The `doteval` command. A committed launcher, so that npm links the bin at install time even in a
// fresh clone where runtime/dist (the build) does not exist yet.
import { existsSync } from 'node:fs';

const cli = new URL('../dist/cli.js', import.meta.url);
if (!existsSync(cli)) {
	process.stderr.write('doteval: the runtime is not built (runtime/dist/cli.js is missing). Run `npm run build` at the repository root.\n');
	process.exit(3);
}
await import(cli.href);
