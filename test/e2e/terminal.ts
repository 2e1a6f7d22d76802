// A real terminal for end-to-end tests: the program runs in a tmux pane on a private tmux server,
// tests read the screen, press keys and collect the exit status.
import {execFileSync} from 'node:child_process';
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {readFile} from 'node:fs/promises';
import {constants, tmpdir} from 'node:os';
import {join} from 'node:path';
import {setTimeout as sleep} from 'node:timers/promises';
import {execa} from 'execa';

export interface TerminalOptions {
	/** The program and its arguments, run directly (no shell). */
	readonly command: readonly string[];
	/**
	 * Variables added to (or, with undefined, removed from) this process's environment.
	 * CI, TMUX and TMUX_PANE are removed by default so the program sees an interactive terminal.
	 */
	readonly env?: Readonly<Record<string, string | undefined>>;
	readonly cwd?: string;
	/** Default 100. */
	readonly columns?: number;
	/** Default 40. */
	readonly rows?: number;
}

export interface WaitOptions {
	/** Default 10 s. */
	readonly timeoutMs?: number;
	/** Default 50 ms. */
	readonly intervalMs?: number;
}

/** How the program ended: exitCode for a normal exit, signal (e.g. `SIGKILL`) when a signal ended it. */
export interface TerminalExit {
	readonly exitCode: number | undefined;
	readonly signal: NodeJS.Signals | undefined;
}

export interface Terminal {
	/** The private tmux socket, for debugging: `tmux -S <socket> attach`. */
	readonly socket: string;
	/** Everything the pane showed, scrolled-off lines first (its history), in the same form as `screen`. */
	history(): Promise<string>;
	/** The visible screen, one line per row, trailing spaces and trailing empty rows removed. */
	screen(): Promise<string>;
	/** Poll the screen until it contains the text (or matches the pattern); returns that screen. Throws with the last screen on timeout. */
	waitFor(expected: string | RegExp | ((screen: string) => boolean), options?: WaitOptions): Promise<string>;
	/** tmux key names separated by spaces, e.g. `Enter`, `Down Down Enter`, `C-c`, `Escape`, `q`. */
	press(keys: string): Promise<void>;
	/** Literal text, typed as is (no key-name lookup). */
	type(text: string): Promise<void>;
	/** Machine pid of the program in the pane. */
	pid(): Promise<number>;
	/** Send a signal to the program in the pane. Default SIGTERM. */
	kill(signal?: NodeJS.Signals): Promise<void>;
	/** The exit status once the program has ended, else undefined. */
	exitCode(): Promise<TerminalExit | undefined>;
	/** Poll until the program has ended. Throws with the last screen on timeout. */
	waitForExit(options?: WaitOptions): Promise<TerminalExit>;
	/** Resize the window. */
	resize(columns: number, rows: number): Promise<void>;
	/** Kill the program (if still running) and the tmux server, and remove the socket dir. Safe to call twice. */
	close(): Promise<void>;
}

const target = 'waymark:0.0';

// The pane runs this wrapper: it forks the program (so the program's pid is its own), records that pid,
// waits, and records the exact wait status. tmux's own #{pane_dead_status} is sometimes never set when a
// program exits quickly (tmux 3.3a), so it is not relied on. A no-op SIGINT/SIGQUIT handler keeps the
// wrapper alive through Ctrl-C; handlers (unlike ignored signals) reset to default in the program.
const wrapper = String.raw`
use strict;
my ($pid_file, $status_file, @command) = @ARGV;
$SIG{INT} = $SIG{QUIT} = sub {};
sub record { my ($file, $text) = @_; open(my $out, '>', "$file.tmp") or return; print $out $text; close $out; rename("$file.tmp", $file); }
my $pid = fork();
die "fork: $!" unless defined $pid;
if ($pid == 0) { exec { $command[0] } @command; print STDERR "cannot run $command[0]: $!\n"; require POSIX; POSIX::_exit(127); }
record($pid_file, $pid);
my $done;
for (1 .. 1000000) { $done = waitpid($pid, 0); last if $done == $pid || !$!{EINTR}; }
my $status = $?;
record($status_file, ($status & 127) ? "signal " . ($status & 127) : "exit " . ($status >> 8));
exit(($status & 127) ? 128 + ($status & 127) : $status >> 8);
`;

/** Start the command in a new tmux pane of the given size. */
export function startTerminal(options: TerminalOptions): Terminal {
	const columns = options.columns ?? 100;
	const rows = options.rows ?? 40;
	if (options.command.length === 0) throw new Error('startTerminal needs a command');
	const dir = mkdtempSync(join(tmpdir(), 'waymark-tmux-'));
	const socket = join(dir, 'tmux.sock');
	const config = join(dir, 'tmux.conf');
	const pidFile = join(dir, 'program.pid');
	const statusFile = join(dir, 'program.status');
	// remain-on-exit keeps the last screen after the program ends, without a "Pane is dead" line; no status line.
	writeFileSync(
		config,
		[
			'set -g remain-on-exit on',
			'set -g remain-on-exit-format ""',
			'set -g status off',
			'set -g history-limit 10000',
			'set -g default-terminal "tmux-256color"',
			'set -g escape-time 0',
			'set -g exit-empty off',
			'',
		].join('\n'),
	);
	const env: Record<string, string> = {};
	for (const [key, value] of Object.entries(process.env)) {
		if (value !== undefined && !['CI', 'TMUX', 'TMUX_PANE'].includes(key)) env[key] = value;
	}

	for (const [key, value] of Object.entries(options.env ?? {})) {
		if (value === undefined) delete env[key];
		else env[key] = value;
	}

	const tmux = (args: readonly string[]): string[] => ['-S', socket, '-f', config, ...args];
	try {
		execFileSync(
			'tmux',
			tmux([
				'new-session',
				'-d',
				'-s',
				'waymark',
				'-x',
				String(columns),
				'-y',
				String(rows),
				...(options.cwd === undefined ? [] : ['-c', options.cwd]),
				'--',
				'perl',
				'-e',
				wrapper,
				pidFile,
				statusFile,
				...options.command,
			]),
			{env, stdio: ['ignore', 'ignore', 'pipe'], cwd: options.cwd},
		);
	} catch (error) {
		rmSync(dir, {recursive: true, force: true});
		throw error;
	}

	let closed = false;
	let knownPid: number | undefined;

	const run = async (args: readonly string[]): Promise<string> => {
		const result = await execa('tmux', tmux(args), {env, reject: false, stripFinalNewline: false});
		if (result.exitCode !== 0) throw new Error(`tmux ${args.join(' ')}: ${String(result.stderr).trim()}`);
		return String(result.stdout);
	};

	const capture = async (history: boolean): Promise<string> => {
		const text = await run(['capture-pane', '-p', ...(history ? ['-S', '-'] : []), '-t', target]);
		const lines = text.split('\n').map(line => line.trimEnd());
		while (lines.length > 0 && lines.at(-1) === '') lines.pop();
		return lines.join('\n');
	};
	const screen = async (): Promise<string> => capture(false);

	const exitCode = async (): Promise<TerminalExit | undefined> => {
		let text: string;
		try {
			text = await readFile(statusFile, 'utf8');
		} catch {
			return undefined;
		}

		const [kind, value] = text.trim().split(' ');
		const number = Number.parseInt(value ?? '', 10);
		if (kind === 'signal') return {exitCode: undefined, signal: signalName(number)};
		return {exitCode: number, signal: undefined};
	};

	// The wrapper writes the program's pid right after fork; wait for it (bounded) and keep it.
	const pid = async (): Promise<number> => {
		if (knownPid !== undefined) return knownPid;
		for (let i = 0; i < 200; i++) {
			const value = Number.parseInt(await readFile(pidFile, 'utf8').catch(() => ''), 10);
			if (Number.isInteger(value) && value > 0) {
				knownPid = value;
				return value;
			}

			await sleep(25);
		}

		throw new Error(`the program did not start in the terminal; screen:\n${await screen().catch(() => '')}`);
	};

	const pollUntil = async <T>(what: string, check: () => Promise<T | undefined>, options: WaitOptions): Promise<T> => {
		const timeoutMs = options.timeoutMs ?? 10_000;
		const intervalMs = options.intervalMs ?? 50;
		const deadline = Date.now() + timeoutMs;
		const tries = Math.ceil(timeoutMs / intervalMs) + 1;
		for (let i = 0; i < tries; i++) {
			const value = await check();
			if (value !== undefined) return value;
			if (Date.now() >= deadline) break;
			await sleep(intervalMs);
		}

		const last = await screen().catch((error: unknown) => `(no screen: ${(error as Error).message})`);
		throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; last screen:\n${last}`);
	};

	return {
		socket,
		screen,
		history: async () => capture(true),
		async waitFor(expected, waitOptions = {}) {
			return pollUntil(
				typeof expected === 'string' ? JSON.stringify(expected) : typeof expected === 'function' ? 'the screen to change' : String(expected),
				async () => {
					const text = await screen();
					const found = typeof expected === 'string' ? text.includes(expected) : typeof expected === 'function' ? expected(text) : expected.test(text);
					return found ? text : undefined;
				},
				waitOptions,
			);
		},
		async press(keys) {
			const names = keys.split(/\s+/).filter(name => name !== '');
			if (names.length > 0) await run(['send-keys', '-t', target, ...names]);
		},
		async type(text) {
			if (text !== '') await run(['send-keys', '-t', target, '-l', '--', text]);
		},
		pid,
		async kill(signal = 'SIGTERM') {
			process.kill(await pid(), signal);
		},
		exitCode,
		async waitForExit(waitOptions = {}) {
			return pollUntil('the program to exit', exitCode, waitOptions);
		},
		async resize(newColumns, newRows) {
			await run(['resize-window', '-t', 'waymark', '-x', String(newColumns), '-y', String(newRows)]);
		},
		async close() {
			if (closed) return;
			closed = true;
			if (knownPid !== undefined && (await exitCode()) === undefined) {
				try {
					process.kill(knownPid, 'SIGKILL');
				} catch {}
			}

			await execa('tmux', tmux(['kill-server']), {env, reject: false});
			// Return only once the program is gone (a zombie counts as gone).
			for (let i = 0; i < 100 && knownPid !== undefined && isRunning(knownPid); i++) await sleep(20);
			rmSync(dir, {recursive: true, force: true});
		},
	};
}

function isRunning(pid: number): boolean {
	try {
		const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
		return !['Z', 'X'].includes(stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3));
	} catch {
		return false;
	}
}

function signalName(value: number): NodeJS.Signals | undefined {
	for (const [name, number] of Object.entries(constants.signals)) {
		if (number === value) return name as NodeJS.Signals;
	}

	return undefined;
}
