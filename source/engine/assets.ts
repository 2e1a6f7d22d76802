// Templates in assets/, found from the package root whether running from source or from dist/.
import {existsSync, readFileSync} from 'node:fs';
import {dirname, join} from 'node:path';
import {fileURLToPath} from 'node:url';

function packageRoot(): string {
	let dir = dirname(fileURLToPath(import.meta.url));
	for (let depth = 0; depth < 6; depth++) {
		if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'assets'))) {
			return dir;
		}

		dir = dirname(dir);
	}

	throw new Error('Cannot find the assets folder next to package.json');
}

/** Reads a template once; wizards call this when they load, never while planning. */
export function loadAsset(path: string): string {
	return readFileSync(join(packageRoot(), 'assets', path), 'utf8');
}

/** Fills `{{name}}` placeholders; an unknown or missing name is a bug in the wizard, so it throws. */
export function renderTemplate(template: string, values: Readonly<Record<string, string>>): string {
	const used = new Set<string>();
	const text = template.replaceAll(/\{\{(\w+)\}\}/g, (_match, name: string) => {
		const value = values[name];
		if (value === undefined) {
			throw new Error(`Template needs a value for ${name}`);
		}

		used.add(name);
		return value;
	});
	const unused = Object.keys(values).filter(name => !used.has(name));
	if (unused.length > 0) {
		throw new Error(`Template does not use ${unused.join(', ')}`);
	}

	return text;
}
