// Progress for long copies: a shell filter that passes bytes through and prints "LABEL: N%" lines on stderr as they go.

/**
 * Defines `progress LABEL SIZE`, a filter for pipelines. With pv it prints pv -n's percentages once a second (through a
 * FIFO, since POSIX sh has no process substitution); without pv the bytes still pass and one line says why no percentage.
 */
export const progressFunction = [
	'progress() {',
	'\tif command -v pv >/dev/null 2>&1; then',
	'\t\tpf=$(mktemp -u); mkfifo "$pf"',
	'\t\t( while read -r p; do echo "$1: $p%" >&2; done < "$pf" ) &',
	'\t\tpv -n -i 1 -s "$2" 2>"$pf"; prc=$?',
	'\t\twait; rm -f "$pf"; return $prc',
	'\tfi',
	'\techo "$1: $2 bytes (install pv to see a percentage)" >&2; cat',
	'}',
].join('\n');

/** Runs `producer | progress | consumer`, failing when the producer failed (POSIX sh only reports the last command). */
export function withProgress(producer: string, label: string, size: string, consumer: string): string {
	return [
		`ps_=$(mktemp)`,
		`{ ${producer}; echo $? > "$ps_"; } | progress ${label} ${size} | ${consumer}`,
		'prc=$(cat "$ps_"); rm -f "$ps_"; [ "$prc" = 0 ]',
	].join('\n');
}
