// Turns a parsed spec into a live target.
import {LocalTarget} from './local.js';
import {RootTarget} from './root.js';
import {SshTarget, type SshOptions} from './ssh.js';
import type {TargetSpec} from './spec.js';
import type {Target} from '../engine/target.js';

export function openTarget(spec: TargetSpec, options: SshOptions = {become: false}): Target {
	switch (spec.kind) {
		case 'local': {
			return new LocalTarget(options);
		}

		case 'ssh': {
			return new SshTarget(spec, options);
		}

		case 'root': {
			return new RootTarget(spec.dir);
		}
	}
}
