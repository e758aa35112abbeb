// The pgpass package (the ~/.pgpass lookup the pg driver itself uses) ships no types.
declare module 'pgpass' {
	function pgpass(
		connection: { host?: string; port?: number | string; database?: string; user?: string },
		callback: (password: string | undefined) => void,
	): void;
	export default pgpass;
}
