// apt packages, saying before anything is installed that iptables-persistent takes ufw away (PITFALLS §8).
import {answerList} from '../../source/engine/params.js';
import type {Step} from '../../source/engine/types.js';
import {installedPackages} from '../../source/facts/apt.js';
import {aptPackagesStep} from '../common/apt-packages.js';
import {extendStep} from './extend-step.js';

export function ufwAwarePackagesStep(options: {id: string; title: string; why: string; role: string; param: string}): Step {
	return extendStep(aptPackagesStep(options), {
		facts: () => ({installed: installedPackages()}),
		plan(ctx, facts, planned) {
			const ufw = facts.installed?.has('ufw') === true;
			const removesUfw = ufw && planned.actions.length > 0 && answerList(ctx.answers, options.param).includes('iptables-persistent');
			return removesUfw
				? {
						...planned,
						notes: [
							...planned.notes,
							'Warning: iptables-persistent conflicts with ufw, so apt REMOVES ufw and its rules stop applying; the rules Waymark adds are saved ' +
								'in /etc/iptables/rules.v4 instead.',
						],
					}
				: planned;
		},
	});
}
