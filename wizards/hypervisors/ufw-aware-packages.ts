// apt packages, saying before anything is installed that iptables-persistent takes ufw away (PITFALLS §8).
import {answerList} from '../../source/engine/params.js';
import type {Step} from '../../source/engine/types.js';
import {installedSet} from '../../source/facts/apt.js';
import {aptPackagesStep} from '../common/apt-packages.js';

export function ufwAwarePackagesStep(options: {id: string; title: string; why: string; role: string; param: string}): Step {
	const base = aptPackagesStep(options);
	return {
		...base,
		plan(ctx, facts) {
			const planned = base.plan(ctx, facts);
			const ufw = installedSet(facts.get('installed')?.text).has('ufw');
			const removesUfw = ufw && planned.actions.length > 0 && answerList(ctx.answers, options.param).includes('iptables-persistent');
			return removesUfw
				? {
						...planned,
						notes: [
							...planned.notes,
							'Warning: iptables-persistent conflicts with ufw, so apt REMOVES ufw and its rules stop applying; the rules Waymark adds are saved in /etc/iptables/rules.v4 instead.',
						],
					}
				: planned;
		},
	};
}
