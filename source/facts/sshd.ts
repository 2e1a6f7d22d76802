// What sshd really uses (`sshd -T`) and which drop-ins it reads: the first value sshd reads wins.
import {parseSshdT} from '../edits/sshd-config.js';
import type {FactDef} from '../engine/step.js';
import {commandLines, commandOutput} from './command.js';

/** sshd wherever it is installed; /usr/sbin/sshd when it is not on PATH (Debian's root PATH has it). */
export const sshdProgram = '"$(command -v sshd || echo /usr/sbin/sshd)"';

/** `sshd -T` as lowercase keyword → value; undefined when sshd could not be asked (offline, or it refused its config). */
export function sshdEffective(): FactDef<ReadonlyMap<string, string> | undefined> {
	const def = commandOutput(`${sshdProgram} -T 2>&1`);
	return {
		request: def.request,
		parse: fact => {
			const text = def.parse(fact);
			return text === undefined ? undefined : parseSshdT(text);
		},
	};
}

/** The drop-ins in /etc/ssh/sshd_config.d, by path, in the order the shell sorts them. */
export function sshdDropIns(): FactDef<readonly string[]> {
	return commandLines('for f in /etc/ssh/sshd_config.d/*.conf; do [ -f "$f" ] && echo "$f"; done; true');
}
