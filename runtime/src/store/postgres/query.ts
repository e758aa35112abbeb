/** Queries in array row mode, with every driver failure turned into a StoreError without the password. */
import type pg from 'pg';
import { connectionError } from './connect.js';
import { StoreError } from '../errors.js';

export type Row = unknown[];

export interface Queryable {
	rows(sql: string, params?: unknown[]): Promise<Row[]>;
}

export function queryable(client: pg.Pool | pg.PoolClient, url: string): Queryable {
	return {
		async rows(sql, params = []) {
			try {
				return (await client.query({ text: sql, values: params, rowMode: 'array' })).rows as Row[];
			} catch (error) {
				throw error instanceof StoreError ? error : connectionError(error, url);
			}
		},
	};
}
