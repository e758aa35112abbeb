// Types of server.mjs (plain JavaScript, so that benchmarks and e2e scenarios import it too).
export declare const serverUser: string;
export declare function postgresBinDir(): string | undefined;
export declare function postgresUnavailable(): string | undefined;
export interface PostgresServer {
	host: string;
	port: number;
	socketDir: string;
	user: string;
	password: string;
	env: { PGPASSWORD: string };
	url(database?: string): string;
	socketUrl(database?: string): string;
	createDatabase(name?: string): string;
	psql(database: string, sql: string): string;
	stopSync(): void;
	stop(): Promise<void>;
}
export declare function startPostgres(options?: { fsync?: boolean }): Promise<PostgresServer>;
