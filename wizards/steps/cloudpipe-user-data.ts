// A live VPN instance gets the user data as a seed file and runs the payload now; a changed payload (a new CRL,
// a new key) is fetched again. On an offline image only the seed is written: the boot unit runs it.
import type {Step, StepContext} from '../../source/engine/types.js';
import {quote} from '../../source/targets/quote.js';
import {fact, fileChange, fileText, noop, output, plan} from './plan-helpers.js';
import {daemonPaths} from './openvpn-service.js';

export function cloudpipeUserDataStep(options: {id: string; role: string; fetchScript: string; userData(ctx: StepContext): string; userDataPath(ctx: StepContext): string}): Step {
	const {pid} = daemonPaths('server', 'cloudpipe');
	return {
		id: options.id,
		title: 'Seed the user data and run the payload',
		why: 'In nova the instance boots with the payload as user data from the metadata server. Bound to a live instance (or an image directory), Waymark writes the same user data as a seed file (0600) and runs the payload now, as the boot unit would; when the payload changes, for example after a revocation, it runs again so the new CRL is in place.',
		role: options.role,
		params: ['userDataPath'],
		facts: ctx => [
			{kind: 'file', key: 'seed', path: options.userDataPath(ctx)},
			{kind: 'command', key: 'running', command: `if [ -d /run/systemd/system ]; then systemctl is-active --quiet openvpn-server@cloudpipe.service && echo running || echo stopped; elif [ -s ${quote(pid)} ] && kill -0 "$(cat ${quote(pid)})" 2>/dev/null; then echo running; else echo stopped; fi`},
		],
		plan(ctx, facts) {
			const path = options.userDataPath(ctx);
			const seed = fileChange(path, fileText(facts, 'seed'), options.userData(ctx), {mode: 0o600, secret: true});
			const live = !fact(facts, 'running').unavailable;
			const run = live && (seed !== undefined || output(facts, 'running') !== 'running');
			const actions = plan([seed, run && {kind: 'command', title: 'Run the payload (decode, unzip, autorun.sh)', script: quote(options.fetchScript)}]);
			return actions.actions.length === 0 ? noop('The VPN runs the current payload.') : actions;
		},
	};
}
