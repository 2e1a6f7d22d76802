// Typed access to the enquirer prompt classes (its own typings only declare the `prompt()` function).
import {PassThrough} from 'node:stream';
import enquirer from 'enquirer';

/** Streams a prompt reads keys from and draws on. */
export interface PromptStreams {
	readonly stdin: NodeJS.ReadableStream;
	readonly stdout: NodeJS.WritableStream;
}

interface PromptOptions<Initial> {
	readonly name: string;
	readonly message: string;
	readonly initial?: Initial;
	readonly validate?: (value: string) => true | string;
	readonly stdin: NodeJS.ReadableStream;
	readonly stdout: NodeJS.WritableStream;
}

interface ChoicePromptOptions extends PromptOptions<number> {
	readonly choices: ReadonlyArray<{readonly name: string; readonly message: string}>;
}

interface PromptInstance<Answer> {
	run(): Promise<Answer>;
	cancel(): Promise<void>;
}

interface PromptClasses {
	readonly Input: new (options: PromptOptions<string>) => PromptInstance<string>;
	readonly Password: new (options: PromptOptions<string>) => PromptInstance<string>;
	readonly Confirm: new (options: PromptOptions<boolean>) => PromptInstance<boolean>;
	readonly Select: new (options: ChoicePromptOptions) => PromptInstance<string>;
}

const prompts = enquirer as unknown as PromptClasses;

/** Thrown when the operator cancels a prompt (ctrl+c, esc); callers branch on `isCanceled`. */
export class PromptCanceledError extends Error {
	readonly isCanceled = true;
	constructor(readonly field: string) {
		super(`${field}: canceled`);
		this.name = 'PromptCanceledError';
	}
}

type RawStream = NodeJS.ReadableStream & {isRaw?: boolean; setRawMode?: (raw: boolean) => unknown};

/**
 * A terminal-looking copy of `stdin` that keeps ctrl+c away from enquirer's readline: since Node 24.2
 * readline closes itself on ctrl+c and enquirer then crashes calling `pause()` on it
 * (enquirer/enquirer#483), so ctrl+c cancels the prompt here instead.
 */
function guardedInput(stdin: RawStream, onCtrlC: () => void): {readonly input: NodeJS.ReadableStream; readonly detach: () => void} {
	const input = Object.assign(new PassThrough(), {
		isTTY: true,
		get isRaw() {
			return stdin.isRaw ?? false;
		},
		setRawMode(raw: boolean) {
			stdin.setRawMode?.(raw);
			return input;
		},
	});
	const wasFlowing = (stdin as {readableFlowing?: boolean | null}).readableFlowing === true;
	const forward = (chunk: Buffer | string) => {
		if (typeof chunk === 'string' ? chunk.includes('\u0003') : chunk.includes(3)) {
			onCtrlC();
			return;
		}

		input.write(chunk);
	};

	stdin.on('data', forward);
	// An earlier prompt paused it, and a paused stream does not resume by itself for a new listener.
	stdin.resume();
	return {
		input,
		detach() {
			stdin.off('data', forward);
			if (!wasFlowing) {
				stdin.pause();
			}

			input.end();
		},
	};
}

async function run<Answer>(name: string, streams: PromptStreams, create: (input: NodeJS.ReadableStream) => PromptInstance<Answer>): Promise<Answer> {
	let prompt: PromptInstance<Answer> | undefined;
	let canceled = false;
	const {input, detach} = guardedInput(streams.stdin as RawStream, () => {
		canceled = true;
		void prompt?.cancel();
	});
	try {
		prompt = create(input);
		return await prompt.run();
	} catch (error) {
		// Enquirer rejects with an empty string (or nothing) when canceled.
		if (canceled || error === '' || error === undefined) {
			throw new PromptCanceledError(name);
		}

		throw error;
	} finally {
		detach();
	}
}

/** Free text; `secret` hides what is typed; `validate` keeps the prompt open with its message until it returns true. */
export async function askText(
	name: string,
	message: string,
	streams: PromptStreams,
	options: {readonly initial?: string; readonly secret?: boolean; readonly validate?: (value: string) => true | string} = {},
): Promise<string> {
	const Prompt = options.secret ? prompts.Password : prompts.Input;
	const initial = options.initial === undefined || options.initial === '' ? {} : {initial: options.initial};
	const validate = options.validate === undefined ? {} : {validate: options.validate};
	return run(name, streams, stdin => new Prompt({name, message, stdout: streams.stdout, stdin, ...initial, ...validate}));
}

/** Yes or no. */
export async function askYesNo(name: string, message: string, streams: PromptStreams, initial?: boolean): Promise<boolean> {
	return run(name, streams, stdin => new prompts.Confirm({name, message, stdout: streams.stdout, stdin, ...(initial === undefined ? {} : {initial})}));
}

/** One of `choices`; returns the chosen `name`. */
export async function askChoice(
	name: string,
	message: string,
	choices: ReadonlyArray<{readonly name: string; readonly message: string}>,
	streams: PromptStreams,
	initial = 0,
): Promise<string> {
	return run(
		name,
		streams,
		stdin => new prompts.Select({name, message, choices: choices.map(choice => ({...choice})), initial, stdout: streams.stdout, stdin}),
	);
}
