// io-scheduler as data: the guide's elevator=cfq done the blk-mq way, a udev rule for rotating disks only.
import assert from 'node:assert/strict';
import {uwsgiNode} from '../../../wizards/uwsgi-node/index.js';
import type {CaseTable} from '../cases.js';
import {summary, type FactValues} from '../step-harness.js';
import {checksOf} from '../common/probe.js';
import {modernHost, nodeAnswers} from './answers.js';

const rule = 'file /etc/udev/rules.d/60-iosched.rules';
const reload = 'command Reload udev rules and apply them to the block devices now';
const host: FactValues = {...modernHost, rule: null, udevadm: '/usr/bin/udevadm\n', disks: 'sda 1 mq-deadline [none] bfq\nnvme0n1 0 [none] mq-deadline\n'};

export const ioSchedulerCases: CaseTable = {
	wizard: uwsgiNode,
	step: 'io-scheduler',
	answers: nodeAnswers,
	cases: [
		{
			name: 'a udev rule for rotating disks on blk-mq kernels; the NVMe disk is not checked',
			facts: host,
			expected: [rule, reload],
			notes: [/elevator=cfq is ignored by kernel 6\.1\.0-28-amd64/],
			checks: {'scheduler-sda': 'warn'},
			after: {disks: 'sda 1 mq-deadline none [bfq]\nnvme0n1 0 [none] mq-deadline\n'},
			also: plan => {
				const [file, command] = summary(plan);
				assert.match(file![1], /ATTR\{queue\/rotational\}=="1", ATTR\{queue\/scheduler\}="bfq"/);
				assert.match(command![1], /udevadm trigger --action=change --subsystem-match=block/);
				assert.deepEqual(
					checksOf(uwsgiNode, 'io-scheduler', nodeAnswers, host).map(check => [check.id, check.status, check.evidence]),
					[['scheduler-sda', 'warn', '/sys/block/sda/queue/scheduler: mq-deadline [none] bfq']],
				);
			},
		},
		{
			name: 'no udevadm: the rule is written and applies from the next boot',
			facts: {...host, udevadm: {text: '', exitCode: 1}},
			expected: [rule],
			notes: [/udevadm is not installed/],
		},
		{name: 'nothing in a container', facts: {...host, container: 'docker\n'}, expected: {unmet: 'skipped', reason: /container \(docker\)/}},
		{
			name: 'a kernel before 5.0 keeps the legacy schedulers (kernel-cmdline sets elevator=cfq)',
			facts: {...host, kernel: '4.19.0-27-amd64\n'},
			expected: 'noop',
			notes: [/legacy schedulers/],
		},
	],
};
