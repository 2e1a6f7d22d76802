import assert from 'node:assert/strict';
import {randomBytes} from 'node:crypto';
import {existsSync, lstatSync, readFileSync, readdirSync} from 'node:fs';
import {after, before, describe, test} from 'node:test';
import {execa} from 'execa';
import {createLabHost, createLabNetwork, namespaceIds, processesIn, type LabHost} from './lab-host.js';
import {labSkipReason, machineSshdPids} from './packages.js';

const skip = await labSkipReason();

// Commands of live (non-zombie) processes, by pid.
function liveCommand(pid: number): string | undefined {
	try {
		const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
		if (stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) === 'Z') return undefined;
		return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ').trim();
	} catch {
		return undefined;
	}
}

// Listening TCP sockets of the machine's own network namespace.
async function machineListeners(): Promise<string> {
	return (await execa('ss', ['-Hltn'])).stdout;
}

async function machineRules(): Promise<string> {
	return (await execa('iptables', ['-S'])).stdout;
}

describe('lab host', {skip}, () => {
	let lab: LabHost | undefined;
	let listenersBefore = '';
	let sshdBefore = new Set<number>();
	let started = 0;

	before(async () => {
		listenersBefore = await machineListeners();
		sshdBefore = await machineSshdPids();
		const start = Date.now();
		lab = await createLabHost({name: 'lab-main'});
		started = Date.now() - start;
	});
	after(async () => lab?.destroy());

	test('ssh works through the generated config, as root, with no network of the machine', async () => {
		assert.ok(lab);
		const result = await execa('ssh', ['-F', lab.sshConfig, lab.alias, 'id -u; cat /run/sshd.pid']);
		const [uid, sshdPid] = result.stdout.split('\n');
		assert.equal(uid, '0');
		assert.match(sshdPid ?? '', /^\d+$/);
		assert.equal(result.stderr, '');
		assert.ok(started < 15_000, `started in ${started} ms`);
		// The lab's sshd listens only inside its namespace.
		assert.equal(await machineListeners(), listenersBefore);
		assert.deepEqual(await machineSshdPids(), sshdBefore);
		assert.match(readFileSync(lab.sshConfig, 'utf8'), /ProxyCommand nsenter --net=\/proc\/\d+\/ns\/net socat - TCP:127\.0\.0\.1:%p/);
	});

	test('its host keys are its own; the machine /etc/ssh is untouched', async () => {
		assert.ok(lab);
		const machineKey = existsSync('/etc/ssh/ssh_host_ed25519_key.pub') ? readFileSync('/etc/ssh/ssh_host_ed25519_key.pub', 'utf8') : '';
		const labKey = readFileSync(`${lab.upperDir}/etc/ssh/ssh_host_ed25519_key.pub`, 'utf8');
		assert.notEqual(labKey, machineKey);
		assert.equal(readFileSync(`${lab.upperDir}/root/.ssh/authorized_keys`, 'utf8').trim(), lab.publicKey);
	});

	test('a file written over ssh lands in the upper dir, not on the machine', async () => {
		assert.ok(lab);
		const name = `waymark-lab-${randomBytes(4).toString('hex')}`;
		const wrote = await lab.ssh(`echo written-in-lab > /etc/${name} && rm /etc/issue.net`);
		assert.equal(wrote.exitCode, 0, wrote.stderr);
		assert.equal(readFileSync(`${lab.upperDir}/etc/${name}`, 'utf8'), 'written-in-lab\n');
		assert.equal(existsSync(`/etc/${name}`), false);
		// A deletion is a whiteout (a 0:0 character device) in the upper dir; the machine keeps its file.
		if (existsSync('/etc/issue.net')) {
			assert.ok(lstatSync(`${lab.upperDir}/etc/issue.net`).isCharacterDevice());
		}

		assert.deepEqual(
			(await lab.changedFiles()).filter((path) => path.startsWith('/etc/')),
			[`/etc/issue.net`, `/etc/${name}`].sort(),
		);
		assert.equal((await lab.exec(`cat /etc/${name}`)).stdout, 'written-in-lab\n');
		assert.equal(readFileSync(`${lab.rootDir}/etc/${name}`, 'utf8'), 'written-in-lab\n');
	});

	test('firewall rules and net sysctls stay in the lab network namespace', async () => {
		assert.ok(lab);
		const rulesBefore = await machineRules();
		const forwardBefore = readFileSync('/proc/sys/net/ipv4/ip_forward', 'utf8');
		const added = await lab.ssh(
			'iptables -A INPUT -p udp --dport 999 -j DROP && iptables -S INPUT && sysctl -qw net.ipv4.ip_forward=1 && cat /proc/sys/net/ipv4/ip_forward',
		);
		assert.equal(added.exitCode, 0, added.stderr);
		assert.match(added.stdout, /^-A INPUT -p udp -m udp --dport 999 -j DROP$/m);
		assert.match(added.stdout, /^1$/m);
		assert.equal(await machineRules(), rulesBefore);
		assert.doesNotMatch(await machineRules(), /--dport 999 -j DROP/);
		assert.equal(readFileSync('/proc/sys/net/ipv4/ip_forward', 'utf8'), forwardBefore);
	});

	test('sshd reloads on SIGHUP to the pid in /run/sshd.pid and still lets the operator in', async () => {
		assert.ok(lab);
		const reload = await lab.exec('kill -HUP "$(cat /run/sshd.pid)"');
		assert.equal(reload.exitCode, 0, reload.stderr);
		let result = await lab.ssh('echo again');
		for (let i = 0; i < 50 && result.exitCode !== 0; i++) {
			await new Promise((resolve) => setTimeout(resolve, 50));
			result = await lab.ssh('echo again');
		}

		assert.equal(result.stdout, 'again\n');
		assert.match(readFileSync(lab.sshdLog, 'utf8'), /Received SIGHUP; restarting/);
	});

	test('exec runs inside the lab: its own pid namespace, clean environment, root', async () => {
		assert.ok(lab);
		const result = await lab.exec('echo "$HOME $PATH"; cat /proc/1/cmdline | tr "\\0" " "; echo; id -u; read line; echo "in:$line"', {
			input: 'hello\n',
		});
		const [environment, init, uid, input] = result.stdout.split('\n');
		assert.equal(environment, '/root /usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin');
		assert.match(init ?? '', /init\.sh/);
		assert.equal(uid, '0');
		assert.equal(input, 'in:hello');
	});
});

describe('lab host lifecycle', {skip}, () => {
	test('destroy kills sshd, sessions and ProxyCommand socats, and leaves no mounts or files', async (t) => {
		const lab = await createLabHost({name: 'lab-destroy'});
		t.after(async () => lab.destroy());
		// A session in progress: an sshd child in the lab and a socat that entered its network namespace.
		const session = execa('ssh', ['-F', lab.sshConfig, lab.alias, 'echo started; sleep 300'], {reject: false, buffer: true});
		const background = execa('ssh', ['-F', lab.sshConfig, lab.alias, 'nohup sleep 300 >/dev/null 2>&1 &'], {reject: false});
		await background;
		let seen: number[] = [];
		const namespaces = await namespaceIds(lab.pid);
		for (let i = 0; i < 100; i++) {
			seen = await processesIn(namespaces);
			const commands = seen.map((pid) => liveCommand(pid) ?? '');
			if (commands.some((c) => c.startsWith('socat')) && commands.filter((c) => c.startsWith('sleep 300')).length >= 2) break;
			await new Promise((resolve) => setTimeout(resolve, 50));
		}

		const commands = seen.map((pid) => liveCommand(pid) ?? '');
		assert.ok(commands.some((c) => c.startsWith('sshd')), commands.join('\n'));
		assert.ok(commands.some((c) => c.startsWith('socat')), commands.join('\n'));
		assert.ok(commands.filter((c) => c.startsWith('sleep 300')).length >= 2, commands.join('\n'));

		await lab.destroy();
		assert.deepEqual(
			seen.filter((pid) => liveCommand(pid) !== undefined).map((pid) => `${pid} ${liveCommand(pid)}`),
			[],
		);
		assert.deepEqual(await processesIn(namespaces), []);
		assert.equal(existsSync(lab.dir), false);
		const mounts = readdirSync('/proc')
			.filter((entry) => /^\d+$/.test(entry))
			.filter((pid) => {
				try {
					return readFileSync(`/proc/${pid}/mountinfo`, 'utf8').includes(lab.dir);
				} catch {
					return false;
				}
			});
		assert.deepEqual(mounts, []);
		const ended = await session;
		assert.notEqual(ended.exitCode, 0);
		await lab.destroy();
	});

	test('authorized_keys2: the key works until sshd is told to read only authorized_keys', async (t) => {
		const lab = await createLabHost({name: 'lab-keys2', keyIn: 'authorized_keys2'});
		t.after(async () => lab.destroy());
		assert.equal(existsSync(`${lab.rootDir}/root/.ssh/authorized_keys`), false);
		assert.equal(readFileSync(`${lab.rootDir}/root/.ssh/authorized_keys2`, 'utf8').trim(), lab.publicKey);
		assert.equal((await lab.ssh('echo in')).stdout, 'in\n');
		const change = await lab.exec(
			'echo "AuthorizedKeysFile .ssh/authorized_keys" > /etc/ssh/sshd_config.d/00-keys.conf && sshd -t && kill -HUP "$(cat /run/sshd.pid)"',
		);
		assert.equal(change.exitCode, 0, change.stderr);
		let denied = await lab.ssh('echo in');
		// Until the reload is done the old sshd answers, and while it re-executes the connection is refused.
		for (let i = 0; i < 50 && !/Permission denied/.test(denied.stderr); i++) {
			await new Promise((resolve) => setTimeout(resolve, 50));
			denied = await lab.ssh('echo in');
		}

		assert.equal(denied.exitCode, 255);
		assert.match(denied.stderr, /Permission denied/);
		assert.equal(existsSync('/etc/ssh/sshd_config.d/00-keys.conf'), false);
	});

	test('none: sshd runs but the operator has no working key', async (t) => {
		const lab = await createLabHost({name: 'lab-nokey', keyIn: 'none'});
		t.after(async () => lab.destroy());
		const denied = await lab.ssh('true');
		assert.equal(denied.exitCode, 255);
		assert.match(denied.stderr, /Permission denied \(publickey/);
		assert.equal((await lab.exec('test -s /run/sshd.pid && echo up')).stdout, 'up\n');
		assert.equal(existsSync(`${lab.rootDir}/root/.ssh/authorized_keys`), false);
	});
});

describe('lab network', {skip}, () => {
	test('two hosts reach each other on 10.99.0.0/24; the machine has no such address or link', async (t) => {
		const linksBefore = (await execa('ip', ['-o', 'link'])).stdout;
		const network = await createLabNetwork(2);
		t.after(async () => network.destroy());
		const [first, second] = network.hosts;
		assert.ok(first && second);
		assert.equal(first.address, '10.99.0.1');
		assert.equal(second.address, '10.99.0.2');
		const banner = await first.exec('exec timeout 5 bash -c "exec 3<>/dev/tcp/10.99.0.2/22 && head -c 8 <&3"');
		assert.equal(banner.stdout, 'SSH-2.0-');
		const viaConfig = await execa('ssh', ['-F', network.sshConfig, second.alias, 'ip -4 -o addr show eth0']);
		assert.match(viaConfig.stdout, /inet 10\.99\.0\.2\/24/);
		assert.doesNotMatch((await execa('ip', ['-o', 'addr'])).stdout, /10\.99\.0\./);
		assert.equal((await execa('ip', ['-o', 'link'])).stdout, linksBefore);
		await network.destroy();
		assert.equal(existsSync(first.dir) || existsSync(second.dir), false);
	});
});
