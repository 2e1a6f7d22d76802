// mist.io's server side on a fresh Debian 13 lab host with a stand-in mist.io: nginx passes requests to the uwsgi app
// and /socket to socket.io (the two servers mist.io's HAProxy fronted on :8000), behind basic auth; and the unit that
// replaces the guide's setcap runs mist.io with CAP_NET_ADMIN and CAP_NET_RAW, read from the running process.
import assert from 'node:assert/strict';
import {type ChildProcess, spawn} from 'node:child_process';
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {after, before, describe, test} from 'node:test';
import {execa} from 'execa';
import {createLabHost, type LabHost} from '../lab/lab-host.js';
import {labSkipReason} from '../lab/packages.js';
import {jsonEvents, waymark} from './cli.js';

const skip = await labSkipReason();
const password = 'correct horse battery';

/** Runs node in the lab's network namespace: its 127.0.0.1 is the lab's, where nginx and the backends listen. */
function inLabNet(lab: LabHost, script: string): string[] {
	return ['nsenter', '-t', String(lab.pid), '-n', process.execPath, '-e', script];
}

/** A stand-in backend: answers every request with its name and the path it got. */
function backend(lab: LabHost, port: number, name: string): ChildProcess {
	const [file, ...args] = inLabNet(
		lab,
		`require('http').createServer((q, r) => r.end('${name} ' + q.url + ' ' + (q.headers.upgrade || '-'))).listen(${port}, '127.0.0.1', () => console.log('listening'))`,
	);
	return spawn(file!, args, {stdio: ['ignore', 'pipe', 'inherit']});
}

async function listening(child: ChildProcess): Promise<void> {
	await new Promise<void>((resolve, reject) => {
		const timer = setTimeout(() => reject(new Error('the stand-in backend did not start in 10 s')), 10_000);
		child.stdout!.once('data', () => {
			clearTimeout(timer);
			resolve();
		});
	});
}

/** A request to the lab's port 80, as a browser with the basic-auth password sends it; with `upgrade`, a WebSocket handshake's headers. */
async function get(lab: LabHost, path: string, auth: string | undefined, upgrade = false): Promise<string> {
	const headers = {
		...(auth ? {Authorization: `Basic ${Buffer.from(auth).toString('base64')}`} : {}),
		...(upgrade ? {Upgrade: 'websocket', Connection: 'Upgrade'} : {}),
	};
	const [file, ...args] = inLabNet(
		lab,
		`require('http').get({host: '127.0.0.1', port: 80, path: ${JSON.stringify(path)}, headers: ${JSON.stringify(headers)}}, r => {let b = ''; r.on('data', c => b += c); r.on('end', () => console.log(r.statusCode + ' ' + b));}).on('error', e => console.log('error ' + e.message))`,
	);
	return String((await execa(file!, args, {timeout: 15_000})).stdout).trim();
}

describe('mist.io server side', {skip}, () => {
	let lab: LabHost;
	let base = '';
	let args: string[] = [];
	const env = () => ({WAYMARK_HOME: join(base, 'home')});

	before(async () => {
		base = mkdtempSync(join(tmpdir(), 'waymark-mistio-'));
		lab = await createLabHost({name: 'mistio', image: 'trixie'});
		const answers = join(base, 'answers.yaml');
		writeFileSync(answers, [`serverPublicAddress: 192.0.2.50`, 'nginx: true', `authPassword: "${password}"`, ''].join('\n'));
		args = ['--target', `server=ssh:${lab.alias}`, '--target', `client=ssh:${lab.alias}`, '--ssh-config', lab.sshConfig, '--answers', answers];
	});

	after(async () => {
		await lab?.destroy();
		rmSync(base, {recursive: true, force: true});
	});

	test('nginx sends / to the uwsgi app and /socket (with its WebSocket upgrade) to socket.io, and nothing without the password', async () => {
		const app = backend(lab, 8001, 'app');
		const socket = backend(lab, 8081, 'socketio');
		try {
			await Promise.all([listening(app), listening(socket)]);
			const run = await waymark(['run', 'openvpn-p2p', ...args, '--only', 'server-nginx,server-haproxy', '--yes', '--plain'], env());
			assert.equal(run.exitCode, 0, `${String(run.stdout)}\n${String(run.stderr)}`);
			assert.equal(await get(lab, '/clouds', `admin:${password}`), '200 app /clouds -');
			assert.equal(await get(lab, '/socket/websocket', `admin:${password}`, true), '200 socketio /socket/websocket websocket');
			assert.match(await get(lab, '/clouds', undefined), /^401 /);
			assert.match(await get(lab, '/clouds', 'admin:wrong'), /^401 /);
		} finally {
			app.kill();
			socket.kill();
		}
	});

	test('the unit runs mist.io with CAP_NET_ADMIN and CAP_NET_RAW, as the running process shows, and check agrees', async () => {
		// A stand-in checkout: bin/ with the guide's four executables and a supervisord that just stays up.
		const made = await lab.exec(
			[
				'useradd -m mist',
				'mkdir -p /home/mist/mist.io/bin',
				'for f in uwsgi celery cloudpy python; do printf "#!/bin/sh\\nexit 0\\n" > /home/mist/mist.io/bin/$f; done',
				'printf "#!/bin/sh\\nexec sleep infinity\\n" > /home/mist/mist.io/bin/supervisord',
				'chmod 755 /home/mist/mist.io/bin/*',
				'chown -R mist: /home/mist/mist.io',
			].join(' && '),
		);
		assert.equal(made.exitCode, 0, made.stderr);
		const run = await waymark(['run', 'openvpn-p2p', ...args, '--only', 'server-capabilities', '--yes', '--plain'], env());
		assert.equal(run.exitCode, 0, `${String(run.stdout)}\n${String(run.stderr)}`);
		const caps = await lab.exec('pid=$(systemctl show -p MainPID --value mistio.service); grep -E "^(Uid|CapEff)" /proc/$pid/status');
		assert.match(caps.stdout, /^Uid:\s+[1-9]\d*/m, 'not root');
		const capEff = /^CapEff:\s+([0-9a-f]+)$/m.exec(caps.stdout)?.[1] ?? '';
		assert.equal(BigInt(`0x${capEff}`) & 0x3000n, 0x3000n, `CapEff ${capEff} holds CAP_NET_ADMIN and CAP_NET_RAW`);
		const check = await waymark(['check', 'openvpn-p2p', ...args, '--json'], env());
		const finding = jsonEvents(String(check.stdout)).find(each => each['id'] === 'mistio-capabilities');
		assert.equal(finding?.['status'], 'pass', String(check.stdout));
		const again = await waymark(['run', 'openvpn-p2p', ...args, '--only', 'server-capabilities', '--yes', '--json'], env());
		const end = jsonEvents(String(again.stdout)).at(-1) as {counts?: {changed: number}};
		assert.equal(end.counts?.changed, 0, 'a second run restarts nothing');
	});
});
