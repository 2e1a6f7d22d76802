// What local and ssh targets share: everything is a sh script, so both behave the same way.
import type {Fact, FactRequest, Facts, TargetInfo} from '../engine/types.js';
import {factsScript, type ScriptFact, mkdirScript, parseFacts, parseStat, statScript, writeExit, writeScript} from './shell-scripts.js';
import {TargetError, type FileStat, type LoginResult, type RunOptions, type RunResult, type Target, type WriteOptions} from '../engine/target.js';

export abstract class ShellTarget implements Target {
	readonly live = true;

	constructor(readonly info: TargetInfo) {}

	/** Runs a script under `sh` on the host, with root if the target was asked to become root. */
	abstract run(script: string, options?: RunOptions): Promise<RunResult>;

	abstract close(): Promise<void>;

	/** A brand-new login as the operator's client makes it; undefined where there is no login to prove. */
	protected abstract loginProof(signal?: AbortSignal): Promise<LoginResult | undefined>;

	async read(path: string, signal?: AbortSignal): Promise<string | null> {
		const fact = (await this.facts([{kind: 'file', key: 'f', path}], signal)).get('f');
		return fact?.exists ? fact.text : null;
	}

	async write(path: string, content: string, options: WriteOptions = {}): Promise<void> {
		const result = await this.run(writeScript(path, options), {input: content, signal: options.signal});
		if (result.exitCode === writeExit.candidateRejected || result.exitCode === writeExit.inPlaceRejected) {
			throw new TargetError(
				`${path}: the validator rejected the new content, so the file was left as it was:\n${result.stderr.trim()}`,
				'Look at the diff and the validator output above; fix the answer that produced it and retry the step.',
				result.exitCode,
			);
		}

		if (result.exitCode !== 0) {
			throw new TargetError(
				`${path}: writing failed on ${this.info.label}: ${result.stderr.trim()}`,
				'Check the path, free space and permissions on the host, then retry the step.',
				result.exitCode,
			);
		}
	}

	async mkdir(path: string, mode?: number, signal?: AbortSignal): Promise<void> {
		const result = await this.run(mkdirScript(path, mode), {signal});
		if (result.exitCode !== 0) {
			throw new TargetError(
				`${path}: mkdir failed on ${this.info.label}: ${result.stderr.trim()}`,
				'Check that no file is in the way and that the parent directory is writable, then retry the step.',
				result.exitCode,
			);
		}
	}

	async stat(path: string, signal?: AbortSignal): Promise<FileStat | null> {
		const result = await this.run(statScript(path), {signal});
		return parseStat(result.stdout);
	}

	/**
	 * Whether the next command opens this target's first connection, a brand-new login through sshd, PAM and NSS
	 * as the operator's client makes it: a `login` fact asked in that read is answered by it, so a run or a check
	 * that changes nothing makes one connection. Later reads (after a change) make a login of their own.
	 */
	protected firstConnectionIsLogin(): boolean {
		return false;
	}

	/** Every fact in one round trip; a `login` fact makes one new connection beside it, however many steps ask. */
	async facts(requests: readonly FactRequest[], signal?: AbortSignal): Promise<Facts> {
		const logins = requests.filter(request => request.kind === 'login');
		const reads = requests.filter((request): request is ScriptFact => request.kind !== 'login');
		if (logins.length > 0 && this.firstConnectionIsLogin()) {
			// The read itself logs in; it failing to connect throws as any read does.
			const facts = await this.readFacts(reads, signal);
			for (const request of logins) {
				facts.set(request.key, {key: request.key, exists: true, text: '', exitCode: 0});
			}

			return facts;
		}

		const [facts, login] = await Promise.all([this.readFacts(reads, signal), logins.length > 0 ? this.loginFact(signal) : undefined]);
		for (const request of logins) {
			facts.set(request.key, {...login!, key: request.key});
		}

		return facts;
	}

	private async loginFact(signal?: AbortSignal): Promise<Omit<Fact, 'key'>> {
		const login = await this.loginProof(signal);
		if (login === undefined) {
			return {exists: false, text: '', exitCode: 127, unavailable: true};
		}

		return {exists: true, text: login.reason, exitCode: login.ok ? 0 : login.refused ? 2 : 1};
	}

	private async readFacts(requests: readonly ScriptFact[], signal?: AbortSignal): Promise<Map<string, Fact>> {
		if (requests.length === 0) {
			return new Map();
		}

		// Steps often ask the same thing (uname -r, dpkg's package list, iptables -S INPUT): each is read once.
		const unique = new Map<string, ScriptFact>();
		for (const request of requests) {
			unique.set(sameRead(request), unique.get(sameRead(request)) ?? request);
		}

		const reads = [...unique.values()];
		const {script, marker} = factsScript(reads);
		const result = await this.run(script, {signal});
		try {
			const read = parseFacts(reads, marker, result.stdout);
			return new Map(requests.map(request => [request.key, {...read.get(unique.get(sameRead(request))!.key)!, key: request.key}]));
		} catch (error) {
			throw new TargetError(
				`Reading facts from ${this.info.label} failed (exit ${result.exitCode}): ${result.stderr.trim() || (error as Error).message}`,
				'Check that the host is reachable and has a POSIX sh, then run the same command again.',
				result.exitCode,
			);
		}
	}
}

/** What a fact reads, whatever its key: two requests with the same answer share one read. */
function sameRead(request: ScriptFact): string {
	return request.kind === 'command' ? `command\u0000${request.command}` : `${request.kind}\u0000${request.path}`;
}
