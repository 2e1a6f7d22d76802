// Asks the operator for params that have neither an answer nor a default, one line at a time.
import {parseParam} from '../engine/params.js';
import type {Param, ParamValue} from '../engine/types.js';
import {paramHelp, paramValueText} from '../wording/index.js';
import {askChoice, askText, askYesNo, type PromptStreams} from './enquirer-prompts.js';

/** After this many invalid answers to one param, give up rather than loop on a closed stdin. */
export const maxAttempts = 10;

function question(param: Param): string {
	return `${param.name}: ${paramHelp(param)}`;
}

function defaultText(value: ParamValue | undefined): string | undefined {
	return value === undefined ? undefined : paramValueText(value);
}

async function askOnce(param: Param, streams: PromptStreams): Promise<unknown> {
	switch (param.type) {
		case 'enum': {
			const choices = param.choices ?? [];
			const initial = Math.max(0, choices.indexOf(defaultText(param.default) ?? ''));
			return askChoice(
				param.name,
				question(param),
				choices.map(choice => ({name: choice, message: choice})),
				streams,
				initial,
			);
		}

		case 'boolean': {
			return askYesNo(param.name, question(param), streams, param.default === undefined ? undefined : param.default === true);
		}

		default: {
			const initial = defaultText(param.default);
			// The prompt stays open with the message until the value parses; the loop in askParams is the backstop.
			const validate = (value: string) => parseParam(param, value).error?.message ?? true;
			return askText(param.name, question(param), streams, {secret: param.type === 'secret', validate, ...(initial === undefined ? {} : {initial})});
		}
	}
}

/**
 * Asks each param in turn and validates the answer like every other input;
 * an invalid answer prints the message (naming the field and the expected form) and asks again.
 * Rejects with `PromptCanceledError` (`isCanceled`) on ctrl+c.
 */
export async function askParams(missing: readonly Param[], streams: PromptStreams): Promise<Record<string, ParamValue>> {
	const answers: Record<string, ParamValue> = {};
	for (const param of missing) {
		let attempt = 0;
		for (;;) {
			attempt++;
			const raw = await askOnce(param, streams);
			const {value, error} = parseParam(param, raw);
			if (error === undefined && value !== undefined) {
				answers[param.name] = value;
				break;
			}

			const message = error?.message ?? `${param.name}: no value`;
			if (attempt >= maxAttempts) {
				throw new Error(`${message} (gave up after ${maxAttempts} tries)`);
			}

			streams.stdout.write(`✗ ${message}\n`);
		}
	}

	return answers;
}
