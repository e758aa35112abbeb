/**
 * The UTF-8 byte order mark that Excel's "CSV UTF-8", Notepad and others write at the start of a
 * file. Every file loader drops it: kept, it renames the first CSV column to "\ufefftext" (every row
 * then lacks `text`) and makes the first JSON line invalid. csv() has csv-parse drop it (`bom: true`).
 */
export function stripBom(text: string): string {
	return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}
