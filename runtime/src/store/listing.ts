/**
 * The listing (`listing.json` beside the catalog): the rows `doteval list` shows, written at each
 * checkpoint with the catalog, so that `list` answers without loading sql.js (its wasm and glue cost
 * more than the rest of the command). The catalog stays the source of truth: the listing is used
 * only when it provably says what the catalog would, and otherwise the catalog is read as before.
 *
 * It is trusted only if all of these hold, checked at every read:
 *  - it parses, and the CRC-32 in its first line matches the rows that follow (no damaged bytes);
 *  - the catalog's bytes match the checksum in the catalog's header (checksum.ts), and that checksum
 *    is the one the listing was written for: the catalog is the very file the listing was computed
 *    from. A catalog replaced since (a later checkpoint whose listing write failed or was killed,
 *    another version of doteval, `sqlite3`) no longer matches;
 *  - no journal is in journals/ (a run in progress, or a crashed writer not yet adopted, has records
 *    the catalog does not), and no run was still open when the catalog was written (whether its
 *    writer is alive decides its state: the reader's snapshot settles that);
 *  - there is no store of doteval 0.1 to migrate.
 * It is written after the catalog (both atomically, under the checkpoint's lock), so a kill between
 * the two leaves a listing for an older catalog, which the second check refuses.
 */
import { existsSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import * as zlib from 'node:zlib';
import type { Database } from 'sql.js';
import type { ExperimentInfo } from './types.js';
import { checksumMatches } from './checksum.js';
import { crashPoint } from './file.js';
import { nodeCrypto } from './builtins.js';
import { experimentFromRow, experimentListSql } from './rows.js';
import { journalPid, type StoreLayout } from './paths.js';

const format = 1;
const crc32 = (zlib as { crc32?: (data: Uint8Array | string) => number }).crc32;

interface ListingHead {
	format: number;
	/** The checksum in the header of the catalog these rows were computed from. */
	catalog: number;
	/** Runs without an end when the catalog was written. */
	openRuns: number;
	/** CRC-32 of the rows line. */
	crc: number;
}

/**
 * The listing's text for a catalog about to be written as `image` (already stamped with its
 * checksum); undefined where checksums are not available (Node < 20.15: no listing, list reads the catalog).
 */
export function listingFor(catalog: Database, image: Uint8Array): string | undefined {
	if (!crc32 || image.length < 100 || !checksumMatches(Buffer.from(image.buffer, image.byteOffset, image.byteLength))) return undefined;
	const rows = JSON.stringify(catalog.exec(experimentListSql, ['%%'])[0]?.values ?? []);
	const openRuns = Number(catalog.exec('SELECT count(*) FROM runs WHERE finished_at IS NULL')[0]?.values[0]?.[0] ?? 0);
	const head: ListingHead = { format, catalog: Buffer.from(image.buffer, image.byteOffset, 100).readUInt32BE(68), openRuns, crc: crc32(rows) };
	return `${JSON.stringify(head)}\n${rows}\n`;
}

/**
 * The experiments of the store (newest first), as the catalog would list them, or undefined when
 * the listing cannot be trusted (see the module's comment): then read the catalog.
 */
export function readListing(layout: StoreLayout, nameFilter?: string): ExperimentInfo[] | undefined {
	if (!crc32 || layout.legacy.some((file) => existsSync(file))) return undefined;
	let text: string;
	let catalog: Buffer;
	try {
		text = readFileSync(layout.listing, 'utf8');
		catalog = readFileSync(layout.catalog);
	} catch {
		return undefined;
	}
	const newline = text.indexOf('\n');
	let head: ListingHead;
	let rows: unknown[][];
	try {
		head = JSON.parse(text.slice(0, newline)) as ListingHead;
		const body = text.slice(newline + 1).trimEnd();
		if (head.format !== format || head.crc !== crc32(body)) return undefined;
		rows = JSON.parse(body) as unknown[][];
	} catch {
		return undefined;
	}
	if (head.openRuns !== 0 || !Array.isArray(rows) || catalog.length < 100 || catalog.readUInt32BE(68) !== head.catalog || !checksumMatches(catalog))
		return undefined;
	if (hasJournals(layout)) return undefined;
	const wanted = nameFilter ? foldAscii(nameFilter) : '';
	return rows.map(experimentFromRow).filter((e) => foldAscii(e.name).includes(wanted));
}

function hasJournals(layout: StoreLayout): boolean {
	try {
		return readdirSync(layout.journals).some((name) => !Number.isNaN(journalPid(name)));
	} catch (error) {
		return (error as NodeJS.ErrnoException).code !== 'ENOENT'; // no journals folder: nothing journaled; unreadable: do not trust
	}
}

/** SQLite's LIKE (which the catalog's query uses for the name filter) ignores the case of ASCII letters only. */
function foldAscii(text: string): string {
	return text.replace(/[A-Z]/g, (c) => c.toLowerCase());
}

/**
 * Replace the listing (temporary + rename, so a reader sees the old or the new one, never a torn
 * one). Not fsynced: whatever a power loss leaves (an empty file, the old one) fails the checks
 * above, and list reads the catalog. A failure is not the checkpoint's: the catalog is written, and
 * the listing left behind is for an older catalog, which the checks refuse.
 */
export function writeListing(layout: StoreLayout, text: string | undefined): void {
	const temp = `${layout.listing}.tmp-${process.pid}-${nodeCrypto().randomBytes(3).toString('hex')}`;
	try {
		if (text === undefined) {
			rmSync(layout.listing, { force: true });
			return;
		}
		writeFileSync(temp, text);
		crashPoint(layout.listing);
		renameSync(temp, layout.listing);
	} catch {
		rmSync(temp, { force: true });
	}
}
