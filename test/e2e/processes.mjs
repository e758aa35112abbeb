// Process bookkeeping for the e2e harness: a free port, the process tree under a PID (read from
// /proc, so no `ps` parsing), and a teardown that stops exactly those PIDs and nothing else.
import { readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';

export function freePort() {
	return new Promise((resolve, reject) => {
		const server = createServer();
		server.unref();
		server.on('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const { port } = server.address();
			server.close(() => resolve(port));
		});
	});
}

/** Every live process as { pid, ppid, cmdline }. */
function processTable() {
	const rows = [];
	for (const name of readdirSync('/proc')) {
		if (!/^\d+$/.test(name)) continue;
		try {
			// The command name in field 2 may hold spaces and parentheses: split after the last ')'.
			const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
			const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
			const cmdline = readFileSync(`/proc/${name}/cmdline`, 'utf8').replaceAll('\0', ' ');
			rows.push({ pid: Number(name), ppid: Number(fields[1]), state: fields[0], cmdline });
		} catch {
			// The process ended while we read it.
		}
	}
	return rows;
}

/** The PIDs of `rootPid` and all its descendants, root first. */
export function processTree(rootPid) {
	const table = processTable();
	const pids = [rootPid];
	for (let i = 0; i < pids.length; i++) {
		for (const row of table) if (row.ppid === pids[i] && row.state !== 'Z') pids.push(row.pid);
	}
	return pids;
}

function alive(pid) {
	try {
		process.kill(pid, 0);
		const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
		return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
	} catch {
		return false;
	}
}

/** SIGTERM each PID, wait up to `graceMs`, then SIGKILL the ones still alive. */
export async function stopPids(pids, graceMs = 5000) {
	for (const pid of pids) {
		try {
			process.kill(pid, 'SIGTERM');
		} catch {
			/* already gone */
		}
	}
	const deadline = Date.now() + graceMs;
	while (Date.now() < deadline && pids.some(alive)) await new Promise((r) => setTimeout(r, 100));
	for (const pid of pids.filter(alive)) {
		try {
			process.kill(pid, 'SIGKILL');
		} catch {
			/* already gone */
		}
	}
}

/** Live (non-zombie) processes whose command line mentions `text`, e.g. a run directory. */
export function processesMentioning(text) {
	return processTable().filter((row) => row.state !== 'Z' && row.pid !== process.pid && row.cmdline.includes(text));
}
