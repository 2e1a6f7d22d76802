// Reads a real-world config file from test/fixtures.
import {readdirSync, readFileSync} from 'node:fs';

const root = new URL('../fixtures/', import.meta.url);

/** The text of test/fixtures/<path>. */
export function fixture(path: string): string {
	return readFileSync(new URL(path, root), 'utf8');
}

/** Replaces exactly one occurrence of `from`; fails loudly when the fixture does not contain it once. */
export function replaceOnce(text: string, from: string, to: string): string {
	const first = text.indexOf(from);
	if (first === -1 || text.indexOf(from, first + 1) !== -1) {
		throw new Error(`Expected exactly one ${JSON.stringify(from)} in the fixture`);
	}

	return text.slice(0, first) + to + text.slice(first + from.length);
}

/** Every file in test/fixtures/<folder>, as [name, text] pairs in name order. */
export function fixtures(folder: string): Array<[string, string]> {
	return readdirSync(new URL(`${folder}/`, root))
		.sort()
		.map(name => [name, fixture(`${folder}/${name}`)]);
}
