// The quiet-machine guard of the baselines (docs/design/baselines.md, "Measuring on a shared machine"): wait briefly until
// other processes use < 0.25 cores, and measure how many cores others used during a measurement
// (machine CPU time from /proc/stat minus this process's and its reaped children's CPU time).
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

const TICKS_PER_SECOND = 100; // USER_HZ on Linux

function machineBusyTicks() {
	const cpu = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
	// user nice system idle iowait irq softirq steal …: busy = all but idle and iowait.
	const total = cpu.slice(0, 8).reduce((a, b) => a + b, 0);
	return total - cpu[3] - cpu[4];
}

/** utime+stime of this process plus cutime+cstime of its waited-for children (and theirs). */
function ownTicks() {
	const stat = readFileSync('/proc/self/stat', 'utf8');
	const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
	// fields[0] is field 3 (state); utime..cstime are fields 14..17.
	return Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14]);
}

/** Start a load meter; stop() returns the cores used by other processes since start. */
export function startLoadMeter() {
	const t0 = performance.now();
	const busy0 = machineBusyTicks();
	const own0 = ownTicks();
	return {
		stop() {
			const seconds = (performance.now() - t0) / 1000;
			if (seconds <= 0) return 0;
			const other = machineBusyTicks() - busy0 - (ownTicks() - own0);
			return Math.max(0, other / TICKS_PER_SECOND / seconds);
		},
	};
}

/**
 * Wait until other processes used < maxCores over a 1 s window, for at most timeoutMs.
 * Returns the other-load of the last window (what the run started with).
 */
export async function waitForQuiet({ maxCores = 0.25, timeoutMs = 5000, windowMs = 1000 } = {}) {
	const deadline = Date.now() + timeoutMs;
	let seen;
	do {
		const meter = startLoadMeter();
		await sleep(windowMs);
		seen = meter.stop();
		if (seen < maxCores) return seen;
	} while (Date.now() < deadline);
	return seen;
}
