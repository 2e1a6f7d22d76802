// One long-lived `sh` per host: the login shell and its rc files start once per run, not once per command.
import {readFileSync} from 'node:fs';
import {spawn, type ChildProcessWithoutNullStreams} from 'node:child_process';
import {randomBytes} from 'node:crypto';
import {identityLines, isIdentity} from '../engine/process-identity.js';
import type {RunOptions, RunResult} from '../engine/target.js';
import {sessionEndedByServer, sessionRefusedText} from './login-result.js';

// Output kept per stream while lines are streamed to a caller: enough for an error message, bounded for chatty commands.
const keptLines = 200;

/** Base64 in a quoted heredoc carries any text, byte for byte, through the shell's own input. */
function heredoc(tag: string, text: string, redirect = '', then = ''): string {
	const encoded = Buffer.from(text).toString('base64').replaceAll(/.{76}/g, '$&\n').trimEnd();
	return `base64 -d ${redirect}<<'${tag}'${then}\n${encoded}\n${tag}`;
}

/** How a command gets root: not at all, through sudo without a password, or with one sent to sudo alone. */
export interface Become {
	readonly password?: string;
}

/**
 * The text the shell reads for one command: input to a temp file, the script run by a fresh `sh -c` reading that
 * file, then markers. With sudo, the password goes to sudo's own stdin and never to the script (`-k`: sudo asks
 * every time, so a cached login cannot leave the password line for the script to read).
 */
export function requestText(script: string, input: string, marker: string, become?: Become): string {
	const tag = `WAYMARK_${marker}`;
	const asRoot = `sh -c 'exec <"$1"; sh -c "$2"' waymark "$__wm_in" "$__wm_script"`;
	// In a session of its own (setsid, where there is one) so a stop can end the command and all it started.
	const run =
		become === undefined
			? '$__wm_sid sh -c "$__wm_script" < "$__wm_in" &'
			: become.password === undefined
				? `$__wm_sid sudo -n ${asRoot} &`
				: heredoc(tag, `${become.password}\n`, '', ` | $__wm_sid sudo -k -S -p '' ${asRoot} &`);
	return [
		'__wm_in=$(mktemp)',
		heredoc(tag, input, '> "$__wm_in" '),
		`__wm_script=$(${heredoc(tag, script)}\n)`,
		'__wm_sid=; command -v setsid >/dev/null 2>&1 && __wm_sid=setsid',
		run,
		'__wm_pid=$!',
		// Which process this is, beyond its pid: the boot and its start time, so a later look after a reboot or a
		// reused pid never takes another process for it. Read with builtins only, so the line goes out at once.
		identityLines('"$__wm_pid"', '__wm_ident'),
		`printf '%s PID %s %s %s\\n' ${marker} "$__wm_pid" "\${__wm_sid:-none}" "$__wm_ident" >&2`,
		'wait "$__wm_pid"; __wm_rc=$?',
		'rm -f "$__wm_in"',
		`printf '\\n%s %s\\n' ${marker} "$__wm_rc"`,
		`printf '\\n%s\\n' ${marker} >&2`,
		'',
	].join('\n');
}

/** The command that ends a running request on the host: its whole session with setsid, else the process alone. */
export function stopText(pid: number, session: boolean, become?: Become): string {
	const kill = `kill -TERM ${session ? '-' : ''}${pid}`;
	if (become === undefined) {
		return kill;
	}

	return become.password === undefined ? `sudo -n ${kill}` : `${heredoc('WAYMARK_STOP', `${become.password}\n`, '', ` | sudo -k -S -p '' ${kill}`)}`;
}

/**
 * Collects one stream up to its end marker and streams complete lines at once. The marker is printed after a
 * newline of ours, so a final empty line is that newline (dropped), and without one the last line had none.
 */
class StreamReader {
	private pending = '';
	private heldEmpty = 0;
	private text = '';
	readonly tail: string[] = [];
	done = false;
	exitCode: number | undefined;

	constructor(
		private readonly end: RegExp,
		private readonly onLine: ((line: string) => void) | undefined,
		/** A line of ours among the output (the running command's pid): taken out, never shown. */
		private readonly control?: {readonly pattern: RegExp; readonly take: (match: RegExpExecArray) => void},
	) {}

	feed(chunk: string): void {
		this.pending += chunk;
		for (let newline = this.pending.indexOf('\n'); newline !== -1 && !this.done; newline = this.pending.indexOf('\n')) {
			const line = this.pending.slice(0, newline);
			this.pending = this.pending.slice(newline + 1);
			const marker = this.end.exec(line);
			if (marker) {
				this.finish(marker[1]);
				return;
			}

			const control = this.control?.pattern.exec(line);
			if (control) {
				this.control!.take(control);
				continue;
			}

			if (line === '') {
				// Maybe ours: known only when the next line comes.
				this.heldEmpty++;
				continue;
			}

			this.releaseEmpty(this.heldEmpty);
			this.emit(line);
		}
	}

	private finish(code: string | undefined): void {
		if (this.heldEmpty > 0) {
			this.releaseEmpty(this.heldEmpty - 1);
		} else if (this.text.endsWith('\n')) {
			// The last line had no newline of its own: ours ended it.
			this.text = this.text.slice(0, -1);
		}

		this.done = true;
		this.exitCode = code === undefined || code === '' ? undefined : Number(code);
	}

	private releaseEmpty(count: number): void {
		for (let index = 0; index < count; index++) {
			this.emit('');
		}

		this.heldEmpty = 0;
	}

	private emit(line: string): void {
		if (this.onLine) {
			this.tail.push(line);
			if (this.tail.length > keptLines) {
				this.tail.shift();
			}

			this.onLine(line);
		} else {
			this.text += `${line}\n`;
		}
	}

	result(): string {
		return this.onLine ? this.tail.join('\n') : this.text;
	}
}

interface Pending {
	readonly stdout: StreamReader;
	readonly stderr: StreamReader;
	readonly resolve: (result: RunResult) => void;
	/** The running command on the host, once it said so, and whether it leads its own session. */
	running?: {readonly pid: number; readonly session: boolean; readonly identity?: string};
	stopped?: boolean;
}

export class RemoteShell {
	private child: ChildProcessWithoutNullStreams | undefined;
	/** Whether a shell was ever started: the first one's connection is a brand-new login. */
	private everStarted = false;
	private current: Pending | undefined;
	private queue: Promise<unknown> = Promise.resolve();
	private startupError = '';
	/** Whether the current shell finished a command: before that, an end without a word is the host refusing the session. */
	private answered = false;

	/** `argv` starts ssh up to and including the host, then `tail` names the remote shell; started on first use. */
	constructor(
		private readonly argv: readonly string[],
		private readonly tail: readonly string[] = ['--', 'exec sh'],
		private readonly become?: Become,
		/** Runs a short command beside the busy shell (a new ssh channel): how a stop reaches the host. */
		private readonly beside?: (script: string) => Promise<unknown>,
		/**
		 * Where ssh writes its own messages (`-E`): a backgrounded control master has no stderr, so why the connection
		 * ended ("Broken pipe", "Connection reset by peer") is only there.
		 */
		private readonly logFile?: string,
	) {}

	/** ssh's own messages since the last call, from its log file. */
	private logged(): string {
		if (!this.logFile) {
			return '';
		}

		try {
			const text = readFileSync(this.logFile, 'utf8');
			const fresh = text.slice(this.logRead);
			this.logRead = text.length;
			return fresh;
		} catch {
			return '';
		}
	}

	private logRead = 0;

	/** No shell has been started yet: the next command opens a new connection, and so logs in afresh. */
	get unstarted(): boolean {
		return !this.everStarted;
	}

	run(script: string, options: RunOptions = {}): Promise<RunResult> {
		const next = this.queue.then(async () => this.execute(script, options));
		this.queue = next.catch(() => undefined);
		return next;
	}

	private start(): ChildProcessWithoutNullStreams {
		const [file, ...args] = this.argv;
		this.startupError = '';
		this.answered = false;
		// Its own process group, so stopping a command stops everything the shell started for it.
		const child = spawn(file!, [...args, ...this.tail], {stdio: ['pipe', 'pipe', 'pipe'], env: {...process.env, LC_ALL: 'C'}, detached: true});
		child.stdout.setEncoding('utf8');
		child.stderr.setEncoding('utf8');
		// A shell that was stopped or replaced still delivers its last bytes; they belong to nobody now.
		const mine = () => this.child === child;
		child.stdout.on('data', (chunk: string) => {
			if (mine()) {
				this.current?.stdout.feed(chunk);
				this.settle();
			}
		});
		child.stderr.on('data', (chunk: string) => {
			if (!mine()) {
				return;
			}

			if (this.current) {
				this.current.stderr.feed(chunk);
				this.settle();
			} else {
				this.startupError += chunk;
			}
		});
		child.stdin.on('error', () => {
			// The shell went away; `close` below answers the command in flight.
		});
		child.on('close', code => {
			if (!mine()) {
				return;
			}

			this.child = undefined;
			const pending = this.current;
			this.current = undefined;
			// ssh's own words come from its log; the command's stderr (apt's chatter) is not why the link went.
			const sshSays = `${this.startupError}${this.logged()}`.trim();
			if (pending && !this.answered && pending.running === undefined && sshSays === '' && code !== null && sessionEndedByServer(code)) {
				// Logged in, then ended before the shell said a word, with an exit code from the server and no word from
				// ssh: not a link that went, but a host that refuses the session. Trying again will not help.
				pending.resolve({exitCode: code, stdout: '', stderr: sessionRefusedText(code)});
				return;
			}

			const reason = `${pending?.stderr.result() ?? ''}${sshSays ? `\n${sshSays}` : ''}`.trim() || 'the connection closed';
			pending?.resolve({
				exitCode: code === 0 || code === null ? 255 : code,
				stdout: pending.stdout.result(),
				stderr: reason,
				// ssh ended before the command's end marker came: the link went, whatever the command did.
				lost: {
					reason: sshSays.split('\n').slice(-3).join(' ').trim() || 'the connection closed',
					...(pending.running ? {pid: pending.running.pid, session: pending.running.session} : {}),
					...(pending.running?.identity ? {identity: pending.running.identity} : {}),
				},
			});
		});
		return child;
	}

	private settle(): void {
		const pending = this.current;
		if (pending?.stdout.done && pending.stderr.done) {
			this.current = undefined;
			this.answered = true;
			pending.resolve({
				exitCode: pending.stopped ? 130 : (pending.stdout.exitCode ?? 255),
				stdout: pending.stdout.result(),
				stderr: pending.stopped ? 'interrupted' : pending.stderr.result(),
			});
		}
	}

	private async execute(script: string, options: RunOptions): Promise<RunResult> {
		if (options.signal?.aborted) {
			return {exitCode: 130, stdout: '', stderr: 'interrupted'};
		}

		if (this.child === undefined) {
			this.everStarted = true;
			this.child = this.start();
		}
		const child = this.child;
		this.hold(child, true);
		const marker = `WMEND${randomBytes(8).toString('hex')}`;
		let pending: Pending | undefined;
		const result = new Promise<RunResult>(resolve => {
			pending = {
				stdout: new StreamReader(new RegExp(`^${marker} (\\d+)$`), options.onLine),
				stderr: new StreamReader(new RegExp(`^${marker}()$`), options.onLine, {
					pattern: new RegExp(`^${marker} PID (\\d+) (\\S+) ?(\\S*)$`),
					take(match) {
						const identity = isIdentity(match[3] ?? '') ? {identity: match[3]!} : {};
						pending!.running = {pid: Number(match[1]), session: match[2] !== 'none', ...identity};
					},
				}),
				resolve,
			};
			this.current = pending;
		});
		// A stop ends the command on the host (its whole session) and lets the shell report; if the host cannot be
		// told, or does not answer in time, this shell is ended instead and the next command starts a new one.
		const endShell = () => {
			if (this.current !== pending) {
				return;
			}

			this.current = undefined;
			this.child = undefined;
			try {
				process.kill(-child.pid!, 'SIGTERM');
			} catch {
				// Already gone.
			}

			pending?.resolve({exitCode: 130, stdout: pending.stdout.result(), stderr: 'interrupted'});
		};

		const stop = () => {
			const running = pending?.running;
			if (!pending || !running || !this.beside) {
				endShell();
				return;
			}

			pending.stopped = true;
			const fallback = setTimeout(endShell, 5000);
			void result.finally(() => {
				clearTimeout(fallback);
			});
			this.beside(stopText(running.pid, running.session, this.become)).catch(endShell);
		};

		options.signal?.addEventListener('abort', stop, {once: true});
		child.stdin.write(requestText(script, options.input ?? '', marker, this.become));
		try {
			return await result;
		} finally {
			options.signal?.removeEventListener('abort', stop);
			this.hold(child, false);
		}
	}

	/** An idle shell must not keep the program alive; one running a command must. */
	private hold(child: ChildProcessWithoutNullStreams, busy: boolean): void {
		for (const handle of [child, child.stdin, child.stdout, child.stderr] as Array<{ref?: () => void; unref?: () => void}>) {
			if (busy) {
				handle.ref?.();
			} else {
				handle.unref?.();
			}
		}
	}

	/** Ends the shell: it reads end of input and exits. */
	async close(): Promise<void> {
		const child = this.child;
		this.child = undefined;
		if (child) {
			const closed = new Promise(resolve => {
				child.once('close', resolve);
			});
			child.stdin.end();
			const timer = setTimeout(() => child.kill('SIGTERM'), 2000);
			await closed;
			clearTimeout(timer);
		}
	}
}
