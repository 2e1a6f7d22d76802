// An in-memory target for engine tests: files and directories in maps, commands answered by a table of handlers.
// It implements the engine's Target interface only, so engine tests need no shell, no disk and no host.
import type {FileStat, LoginResult, RunOptions, RunResult, Target, WriteOptions} from '../../source/engine/target.js';
import type {Fact, FactRequest, Facts, TargetInfo} from '../../source/engine/types.js';

/** Answers a command: its result, and may change the fake host (a command that makes a file). */
export type CommandHandler = (script: string, host: FakeTarget) => RunResult | undefined;

export interface FakeTargetOptions {
	readonly label?: string;
	/** False makes it an offline root:DIR: commands are not run. */
	readonly live?: boolean;
	readonly files?: Readonly<Record<string, string>>;
	/** Tried in order; the first that answers wins; a command nobody answers exits 127. */
	readonly commands?: readonly CommandHandler[];
	/** How a fresh login goes; default it works. */
	readonly login?: () => LoginResult;
}

export class FakeTarget implements Target {
	readonly info: TargetInfo;
	readonly live: boolean;
	readonly files = new Map<string, {text: string; mode: number}>();
	readonly dirs = new Set<string>();
	/** Every script run outside a fact read, in order: with `factReads`, the round trips a run made.*/
	readonly ran: string[] = [];
	/** How many times facts were read (each is one round trip). */
	factReads = 0;

	constructor(private readonly options: FakeTargetOptions = {}) {
		this.info = {kind: options.live === false ? 'root' : 'ssh', label: options.label ?? 'ssh:fake'};
		this.live = options.live !== false;
		for (const [path, text] of Object.entries(options.files ?? {})) {
			this.files.set(path, {text, mode: 0o644});
		}
	}

	async run(script: string, options: RunOptions = {}): Promise<RunResult> {
		if (!this.live) {
			throw new Error(`${this.info.label} is offline: commands are not run here`);
		}

		this.ran.push(script);
		return this.answer(script, options);
	}

	/** A command's answer from the handlers, without counting it as a round trip (facts travel in one). */
	private answer(script: string, options: RunOptions = {}): RunResult {
		for (const handler of this.options.commands ?? []) {
			const result = handler(script, this);
			if (result) {
				for (const line of `${result.stdout}${result.stderr}`.split('\n').filter(Boolean)) {
					options.onLine?.(line);
				}

				return result;
			}
		}

		return {exitCode: 127, stdout: '', stderr: `fake: no handler for ${script.split('\n')[0]}`};
	}

	async read(path: string): Promise<string | null> {
		return this.files.get(path)?.text ?? null;
	}

	async write(path: string, content: string, options: WriteOptions = {}): Promise<void> {
		const old = this.files.get(path);
		this.files.set(path, {text: content, mode: old && !options.forceMode ? old.mode : (options.mode ?? 0o644)});
	}

	async mkdir(path: string): Promise<void> {
		this.dirs.add(path);
	}

	async stat(path: string): Promise<FileStat | null> {
		const file = this.files.get(path);
		if (file) {
			return {mode: file.mode, uid: 0, gid: 0, size: file.text.length, isDirectory: false};
		}

		return this.dirs.has(path) ? {mode: 0o755, uid: 0, gid: 0, size: 0, isDirectory: true} : null;
	}

	async facts(requests: readonly FactRequest[]): Promise<Facts> {
		this.factReads++;
		const facts = new Map<string, Fact>();
		for (const request of requests) {
			if (request.kind === 'file') {
				const file = this.files.get(request.path);
				facts.set(request.key, {
					key: request.key,
					exists: file !== undefined,
					text: file?.text ?? '',
					exitCode: file ? 0 : 1,
					...(file ? {mode: file.mode} : {}),
				});
			} else if (request.kind === 'dir') {
				const exists = this.dirs.has(request.path);
				facts.set(request.key, {key: request.key, exists, text: '', exitCode: exists ? 0 : 1});
			} else if (!this.live) {
				facts.set(request.key, {key: request.key, exists: false, text: '', exitCode: 127, unavailable: true});
			} else if (request.kind === 'login') {
				const login = await this.freshLogin();
				facts.set(request.key, {key: request.key, exists: true, text: login.reason, exitCode: login.ok ? 0 : login.refused ? 2 : 1});
			} else {
				const result = this.answer(request.command);
				facts.set(request.key, {key: request.key, exists: true, text: result.stdout, exitCode: result.exitCode});
			}
		}

		return facts;
	}

	async freshLogin(): Promise<LoginResult> {
		return this.options.login?.() ?? {ok: true, refused: false, reason: ''};
	}

	async close(): Promise<void> {}
}

/** A handler for one exact command. */
export function answer(command: string, result: Partial<RunResult> | ((host: FakeTarget) => Partial<RunResult>)): CommandHandler {
	return (script, host) => (script === command ? {exitCode: 0, stdout: '', stderr: '', ...(typeof result === 'function' ? result(host) : result)} : undefined);
}
