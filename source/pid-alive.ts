// Whether a process still runs: how leftovers (temp files, control sockets) of a killed run are told from a live one's.

export function pidAlive(pid: number): boolean {
	if (pid === process.pid) {
		return true;
	}

	try {
		process.kill(pid, 0);
		return true;
	} catch (error) {
		// EPERM: it runs, as someone else.
		return (error as NodeJS.ErrnoException).code === 'EPERM';
	}
}
