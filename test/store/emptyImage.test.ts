/**
 * The prebuilt empty database (store/emptyImage.ts) that every new store file starts from must be
 * exactly what running the migrations gives: the same tables, columns, indexes and schema version.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import type { Database } from 'sql.js';
import { loadSqlJs } from '../../runtime/src/store/sqljs.js';
import { migrate, schemaVersion } from '../../runtime/src/store/schema.js';
import { emptyDatabase } from '../../runtime/src/store/file.js';
import { emptyImageDeflatedBase64 } from '../../runtime/src/store/emptyImage.js';

const schemaOf = (db: Database) => ({
	version: db.exec('PRAGMA user_version')[0]?.values[0]?.[0],
	pageSize: db.exec('PRAGMA page_size')[0]?.values[0]?.[0],
	objects: db.exec('SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name')[0]?.values,
});

test('the prebuilt empty database has the schema the migrations produce (else: the new value to paste is printed)', async () => {
	const SQL = await loadSqlJs();
	const migrated = new SQL.Database();
	migrate(migrated);
	const prebuilt = new SQL.Database(inflateRawSync(Buffer.from(emptyImageDeflatedBase64, 'base64')));
	const fresh = deflateRawSync(migrated.export(), { level: 9 }).toString('base64');
	assert.deepEqual(
		schemaOf(prebuilt),
		schemaOf(migrated),
		`runtime/src/store/emptyImage.ts is older than the schema (version ${schemaVersion}): set emptyImageDeflatedBase64 to\n${fresh}\n`,
	);
	// What the store uses: the same schema, the foreign keys on, and writable.
	const db = emptyDatabase(SQL);
	assert.deepEqual(schemaOf(db), schemaOf(migrated));
	assert.equal(db.exec('PRAGMA foreign_keys')[0]?.values[0]?.[0], 1);
	db.run(`INSERT INTO experiments (name, created_at) VALUES ('x', 1)`);
	assert.equal(db.exec('SELECT count(*) FROM experiments')[0]?.values[0]?.[0], 1);
	for (const d of [migrated, prebuilt, db]) d.close();
});
