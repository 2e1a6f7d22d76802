// The plain node forwarder of row P3: runs a command and copies its output to stdout, nothing else. Plain JavaScript,
// so it starts as fast as node does. Usage: node forward.mjs PROGRAM ARG…
import {spawn} from 'node:child_process';

const [program, ...args] = process.argv.slice(2);
const child = spawn(program, args, {stdio: ['ignore', 'pipe', 'pipe']});
child.stdout.pipe(process.stdout);
child.stderr.pipe(process.stdout);
child.on('close', code => {
	process.exitCode = code ?? 1;
});
