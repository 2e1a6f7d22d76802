// The POSIX sh that targets send: batched fact reads and atomic file writes. Needs only sh and coreutils.
import {randomBytes} from 'node:crypto';
import type {Fact, FactRequest} from '../engine/types.js';
import {command, quote} from './quote.js';

/** The facts a script on the host can read: all but a new login, which only the operator's client can make. */
export type ScriptFact = Exclude<FactRequest, {readonly kind: 'login'}>;

/** One script that reads every fact and frames each answer with a random marker. */
export function factsScript(requests: readonly ScriptFact[]): {script: string; marker: string} {
	const marker = `WAYMARK-${randomBytes(8).toString('hex')}`;
	const parts = requests.map((request, index) => {
		const begin = `printf '\\n%s %s BEGIN\\n' ${marker} ${index}`;
		const end = `printf '\\n%s %s END %s\\n' ${marker} ${index} "$rc"`;
		if (request.kind === 'file') {
			const path = quote(request.path);
			// The mode rides along, so a secret file left readable by others is seen, not just its text.
			return `${begin}; if [ -f ${path} ] && [ -r ${path} ]; then printf 'E %s\\n' "$(stat -c %a ${path} 2>/dev/null)"; cat ${path}; rc=$?; else printf 'N\\n'; rc=1; fi; ${end}`;
		}

		if (request.kind === 'dir') {
			const path = quote(request.path);
			return `${begin}; if [ -d ${path} ]; then printf 'E\\n'; rc=0; else printf 'N\\n'; rc=1; fi; ${end}`;
		}

		// A subshell keeps one fact's `exit` or `cd` from touching the next; stdin is closed so nothing waits for input.
		return `${begin}; printf 'C\\n'; ( ${request.command}
) </dev/null 2>/dev/null; rc=$?; ${end}`;
	});
	return {script: `PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin:$PATH; export LC_ALL=C\n${parts.join('\n')}\n`, marker};
}

/** Splits the framed output of `factsScript` back into facts. */
export function parseFacts(requests: readonly FactRequest[], marker: string, output: string): Map<string, Fact> {
	const facts = new Map<string, Fact>();
	for (const [index, request] of requests.entries()) {
		const beginTag = `\n${marker} ${index} BEGIN\n`;
		const start = output.indexOf(beginTag);
		const endPattern = new RegExp(`\\n${marker} ${index} END (-?\\d+)\\n`);
		const rest = start === -1 ? '' : output.slice(start + beginTag.length);
		const end = endPattern.exec(rest);
		if (start === -1 || !end) {
			throw new Error(`The target's answer for fact ${request.key} was cut off`);
		}

		const kind = rest[0];
		const headerEnd = rest.indexOf('\n');
		const mode = /^E ([0-7]{3,4})$/.exec(rest.slice(0, headerEnd))?.[1];
		const text = rest.slice(headerEnd + 1, end.index);
		facts.set(request.key, {
			key: request.key,
			exists: kind !== 'N',
			text: kind === 'N' ? '' : text,
			exitCode: Number(end[1]),
			...(mode === undefined ? {} : {mode: Number.parseInt(mode, 8)}),
		});
	}

	return facts;
}

export interface WriteScriptOptions {
	readonly mode?: number;
	/** Always set the mode, even on an existing file (secrets). */
	readonly forceMode?: boolean;
	readonly backupPath?: string;
	readonly validateCandidate?: string;
	readonly validateInPlace?: string;
}

/** Exit codes the write script uses so callers can branch without parsing text. */
export const writeExit = {candidateRejected: 65, inPlaceRejected: 66} as const;

/**
 * Writes stdin to `path` atomically: temp file in the same directory, owner and mode kept, fsync, rename.
 * The original is copied to `backupPath` once; validators run before (candidate) or after (in place, with restore).
 */
export function writeScript(path: string, options: WriteScriptOptions): string {
	const p = quote(path);
	const mode = (options.mode ?? 0o644).toString(8);
	const lines = [
		'set -e',
		`p=${p}`,
		'd=$(dirname "$p")',
		// New parent directories are ordinary ones (0755); only the temp file starts private.
		'[ -d "$d" ] || (umask 022 && mkdir -p "$d")',
		'umask 077',
		't=$(mktemp "$d/.waymark.XXXXXX")',
		'prev=',
		// A dropped connection hangs the shell up: the temp file goes then too, not only on a normal exit.
		`trap 'rm -f "$t"' EXIT`,
		`trap 'exit 129' HUP; trap 'exit 130' INT; trap 'exit 143' TERM`,
		'cat > "$t"',
		// An existing file keeps its owner always, and its mode unless the mode is forced (secrets).
		options.forceMode
			? `if [ -e "$p" ]; then chown --reference="$p" "$t"; fi; chmod ${mode} "$t"`
			: `if [ -e "$p" ]; then chown --reference="$p" "$t"; chmod --reference="$p" "$t"; else chmod ${mode} "$t"; fi`,
	];
	if (options.validateCandidate) {
		const check = options.validateCandidate.replaceAll('{}', '"$t"');
		lines.push(`if ! out=$( ${check} 2>&1 ); then printf '%s\\n' "$out" >&2; exit ${writeExit.candidateRejected}; fi`);
	}

	if (options.backupPath) {
		const b = quote(options.backupPath);
		lines.push(`if [ -e "$p" ] && [ ! -e ${b} ]; then mkdir -p "$(dirname ${b})"; chmod 700 "$(dirname ${b})"; cp -p "$p" ${b}; fi`);
	}

	if (options.validateInPlace) {
		lines.push('if [ -e "$p" ]; then prev="$d/.waymark-prev.$$"; cp -p "$p" "$prev"; fi');
	}

	lines.push('sync "$t" 2>/dev/null || sync', 'mv -f "$t" "$p"', 'trap - EXIT');
	if (options.validateInPlace) {
		lines.push(
			`if ! out=$( ${options.validateInPlace} 2>&1 ); then`,
			'  printf \'%s\\n\' "$out" >&2',
			'  if [ -n "$prev" ]; then mv -f "$prev" "$p"; else rm -f "$p"; fi',
			`  exit ${writeExit.inPlaceRejected}`,
			'fi',
			'[ -z "$prev" ] || rm -f "$prev"',
		);
	}

	return lines.join('\n');
}

/** Creates a directory (and parents) with a mode, leaving an existing one's mode alone. */
export function mkdirScript(path: string, mode?: number): string {
	const p = quote(path);
	return mode === undefined ? `mkdir -p ${p}` : `[ -d ${p} ] || { mkdir -p ${p} && chmod ${mode.toString(8)} ${p}; }`;
}

/** Prints mode, uid, gid, size and type of a path, or nothing if it is missing. */
export function statScript(path: string): string {
	return `[ -e ${quote(path)} ] && stat -c '%a %u %g %s %F' ${quote(path)} || true`;
}

export function parseStat(text: string): {mode: number; uid: number; gid: number; size: number; isDirectory: boolean} | null {
	const match = /^([0-7]+) (\d+) (\d+) (\d+) (.+)$/.exec(text.trim());
	if (!match) {
		return null;
	}

	return {mode: Number.parseInt(match[1]!, 8), uid: Number(match[2]), gid: Number(match[3]), size: Number(match[4]), isDirectory: match[5] === 'directory'};
}

export {command};
