import assert from 'node:assert/strict';
import {readFileSync} from 'node:fs';
import {test} from 'node:test';
import {UsageError} from '../source/engine/errors.js';
import {inventoryBindings} from '../source/inventory.js';

const roles = ['webserver', 'dbserver', 'hypervisor'];
const fixture = (name: string) => readFileSync(new URL(`fixtures/inventory/${name}`, import.meta.url), 'utf8');

test("the guide's hosts file: groups become roles, plural group names included", () => {
	assert.deepEqual(inventoryBindings(fixture('foundation-guide-hosts'), roles), {
		webserver: ['ssh:192.168.10.32'],
		dbserver: ['ssh:192.168.10.56'],
		hypervisor: ['ssh:192.168.1.10', 'ssh:92.156.48.30'],
	});
});

test('ansible_host, ansible_user, ansible_port, host:port, [all:vars] and [group:vars], innermost wins', () => {
	assert.deepEqual(inventoryBindings(fixture('ansible-vars-hosts'), roles), {
		webserver: ['ssh:spike@maas.example.com:2222'],
		dbserver: ['ssh:root@192.0.2.56'],
		hypervisor: ['ssh:ubuntu@93.52.45.21:2222', 'ssh:ubuntu@192.0.2.11:22'],
	});
});

const bad: Array<[string, RegExp]> = [
	['[routers]\nr1\n', /group \[routers\] is not a role of this guide; its roles: webserver, dbserver, hypervisor/],
	['orphan.example.com\n', /inventory:1: a host outside any \[group\]/],
	['[hypervisors:children]\nwest\n', /groups of groups are not supported/],
	['[hypervisors]\nhv1 ansible_port=99999\n', /port 99999 is out of range/],
	['[hypervisors]\n$(reboot)\n', /is not a valid host name/],
];

test('problems are listed all at once, naming the line or group', () => {
	for (const [text, expected] of bad) {
		assert.throws(
			() => inventoryBindings(text, roles),
			(error: unknown) => error instanceof UsageError && expected.test(error.message),
			text,
		);
	}
});
