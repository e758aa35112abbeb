/**
 * Offsets in the text where a name bound to doteval occurs. The walker only descends into nodes
 * that contain one, which keeps discovery close to the cost of the parse alone.
 */
export class CandidatePositions {
	private positions: number[] = [];

	constructor(private readonly text: string, names: Iterable<string>) {
		for (const name of names) this.add(name);
	}

	add(name: string): void {
		const pattern = new RegExp(`(?<![\\w$])${name.replace(/\$/g, '\\$')}(?![\\w$])`, 'g');
		for (let m = pattern.exec(this.text); m; m = pattern.exec(this.text)) this.positions.push(m.index);
		this.positions.sort((a, b) => a - b);
	}

	/** Is there an occurrence in [pos, end)? */
	within(pos: number, end: number): boolean {
		const p = this.positions;
		let lo = 0;
		let hi = p.length;
		while (lo < hi) {
			const mid = (lo + hi) >> 1;
			if (p[mid]! < pos) lo = mid + 1;
			else hi = mid;
		}
		return lo < p.length && p[lo]! < end;
	}
}
