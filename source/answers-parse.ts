// An answers file's text as a mapping of param names to values; anything else is a usage error naming the file.
// Its own module so the YAML parser loads only for a command that reads answers.
import {parse as parseYaml} from 'yaml';
import {UsageError} from './engine/errors.js';

export function parseAnswers(text: string, path: string): Record<string, unknown> {
	let data: unknown;
	try {
		data = parseYaml(text);
	} catch (error) {
		throw new UsageError(`--answers ${path}: not valid YAML: ${(error as Error).message}`, 'Compare it with `waymark answers GUIDE`.');
	}

	if (data === null || data === undefined) {
		return {};
	}

	if (typeof data !== 'object' || Array.isArray(data)) {
		throw new UsageError(`--answers ${path}: expected a mapping of param names to values`, 'Compare it with `waymark answers GUIDE`.');
	}

	return data as Record<string, unknown>;
}
