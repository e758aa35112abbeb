/** Plain-text tables with aligned columns; cells may carry ANSI colour, which takes no width. */

const ansi = /\x1b\[[0-9;]*m/g;
export const visibleWidth = (text: string): number => [...text.replace(ansi, '')].length;

export interface TableOptions {
	/** Columns aligned to the right (numbers), by index. */
	right?: number[];
	/** Text before each line. */
	indent?: string;
	gap?: string;
}

export function formatTable(rows: string[][], options: TableOptions = {}): string {
	const { right = [], indent = '', gap = '  ' } = options;
	const widths: number[] = [];
	for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, visibleWidth(cell))));
	return (
		rows
			.map((row) => {
				const cells = row.map((cell, i) => {
					const pad = ' '.repeat(widths[i]! - visibleWidth(cell));
					if (right.includes(i)) return pad + cell;
					return i === row.length - 1 ? cell : cell + pad;
				});
				return indent + cells.join(gap);
			})
			.join('\n') + (rows.length ? '\n' : '')
	);
}
