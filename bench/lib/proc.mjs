// Whole-process measurement: wall time from just before spawn to exit, and peak memory of the
// process tree, read by polling /proc (no external tool needed; Linux only).
//   peakRssMb: the largest VmHWM of any single process in the tree — the same definition as GNU
//              time's %M, which the peer baselines in docs/design/baselines.md used.
//   treeRssMb: the largest sum of VmRSS over the tree seen by a poll (tools that fork workers).
// VmHWM is a high-water mark, so a poll anywhere after the peak sees it; only growth in the last
// poll interval before exit can be missed.
import { spawn } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { startLoadMeter } from './quiet.mjs';

const POLL_MS = 10;

function readStatusKb(pid) {
	try {
		const status = readFileSync(`/proc/${pid}/status`, 'utf8');
		const hwm = /VmHWM:\s+(\d+)/.exec(status);
		const rss = /VmRSS:\s+(\d+)/.exec(status);
		return hwm ? { hwm: Number(hwm[1]), rss: rss ? Number(rss[1]) : 0 } : null;
	} catch {
		return null;
	}
}

function childrenOf(pid) {
	const kids = [];
	try {
		for (const tid of readdirSync(`/proc/${pid}/task`)) {
			const text = readFileSync(`/proc/${pid}/task/${tid}/children`, 'utf8').trim();
			if (text) kids.push(...text.split(' ').map(Number));
		}
	} catch {
		// The process exited between the listing and the read.
	}
	return kids;
}

function treeOf(root) {
	const pids = [root];
	for (let i = 0; i < pids.length; i++) pids.push(...childrenOf(pids[i]));
	return pids;
}

/**
 * Spawn a process and measure it. Options: cwd, env, timeoutMs (kills the tree's root), input.
 * Resolves { wallMs, peakRssMb, treeRssMb, code, signal, stdout, stderr, otherCores }.
 * @param {string} command
 * @param {string[]} args
 * @param {{ cwd?: string, env?: NodeJS.ProcessEnv, timeoutMs?: number }} [options]
 */
export function measureProcess(command, args, { cwd, env, timeoutMs = 600_000 } = {}) {
	return new Promise((resolve, reject) => {
		const meter = startLoadMeter();
		const hwmByPid = new Map();
		let treeRssKb = 0;
		const t0 = performance.now();
		const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
		let exitedAt = 0;
		const out = [];
		const err = [];
		child.stdout.on('data', (d) => out.push(d));
		child.stderr.on('data', (d) => err.push(d));
		const poll = () => {
			let sum = 0;
			for (const pid of treeOf(child.pid)) {
				const s = readStatusKb(pid);
				if (!s) continue;
				hwmByPid.set(pid, Math.max(hwmByPid.get(pid) ?? 0, s.hwm));
				sum += s.rss;
			}
			treeRssKb = Math.max(treeRssKb, sum);
		};
		const timer = setInterval(poll, POLL_MS);
		const killer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
		child.on('error', (e) => {
			clearInterval(timer);
			clearTimeout(killer);
			reject(e);
		});
		child.on('exit', () => {
			exitedAt = performance.now();
			clearInterval(timer);
		});
		child.on('close', (code, signal) => {
			clearTimeout(killer);
			const peakKb = Math.max(0, ...hwmByPid.values());
			resolve({
				wallMs: (exitedAt || performance.now()) - t0,
				peakRssMb: peakKb / 1024,
				treeRssMb: treeRssKb / 1024,
				code,
				signal,
				stdout: Buffer.concat(out).toString('utf8'),
				stderr: Buffer.concat(err).toString('utf8'),
				otherCores: meter.stop(),
			});
		});
		poll();
	});
}

/** Run a node script that prints one JSON line (its result) last on stdout; returns that object. */
export async function runJsonScript(script, args = [], opts = {}) {
	const r = await measureProcess(process.execPath, ['--expose-gc', script, ...args], opts);
	if (r.code !== 0) {
		throw new Error(`${script} ${args.join(' ')} exited ${r.code ?? r.signal}:\n${r.stderr.slice(-2000)}`);
	}
	const lines = r.stdout.trim().split('\n');
	return { ...JSON.parse(lines[lines.length - 1]), otherCores: r.otherCores, peakRssMb: r.peakRssMb };
}
