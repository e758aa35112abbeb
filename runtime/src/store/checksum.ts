/**
 * The CRC-32 that every file the store writes carries in its SQLite header (file.ts says why), and
 * the check of a file's bytes against it. Apart from file.ts so that readers which never open a
 * database (the listing) can check a catalog's bytes without loading sql.js's code.
 */
import * as zlib from 'node:zlib';

/**
 * Where the checksum lives: the header's "application ID" (bytes 68–71), which SQLite stores but
 * never interprets, and which doteval does not use otherwise. Any write by SQLite itself changes
 * the header's change counter, so a file changed outside doteval no longer matches its checksum.
 */
const checksumAt = 68;
// zlib.crc32 is Node ≥ 20.15; without it every file is checked with quick_check, as before.
const crc32 = (zlib as { crc32?: (data: Uint8Array, value?: number) => number }).crc32;

/** The CRC-32 of the image with the checksum's own 4 bytes as zeros; never 0 (0: no checksum). */
export function checksumOf(image: Uint8Array): number {
	const head = crc32!(image.subarray(0, checksumAt));
	const sum = crc32!(image.subarray(checksumAt + 4), crc32!(new Uint8Array(4), head));
	return sum === 0 ? 1 : sum;
}

/** Write the image's checksum into its header, so that reading it back needs no quick_check. */
export function stampChecksum(image: Uint8Array): Uint8Array {
	if (!crc32 || image.length < 100) return image;
	new DataView(image.buffer, image.byteOffset, image.byteLength).setUint32(checksumAt, checksumOf(image));
	return image;
}

export function checksumMatches(bytes: Buffer): boolean {
	if (!crc32) return false;
	const stored = bytes.readUInt32BE(checksumAt);
	return stored !== 0 && stored === checksumOf(bytes);
}
