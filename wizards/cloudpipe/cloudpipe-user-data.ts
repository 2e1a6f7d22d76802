// A live VPN instance gets the user data as a seed file and runs the payload now; a changed payload (a new CRL,
// a new key) is fetched again. On an offline image only the seed is written: the boot unit runs it.
import {defineStep} from '../../source/engine/step.js';
import type {Check, Step, StepContext} from '../../source/engine/types.js';
import {commandAnswer} from '../../source/facts/command.js';
import {fileText, fileWithMode} from '../../source/facts/files.js';
import {certificateExpiryCheck, crlExpiryCheck} from '../common/expiry.js';
import {quote} from '../../source/targets/quote.js';
import {fileChange, noop, plan} from '../common/plan-helpers.js';
import {daemonPaths} from '../common/openvpn-service.js';

export function cloudpipeUserDataStep(options: {
	id: string;
	role: string;
	fetchScript: string;
	userData(ctx: StepContext): string;
	userDataPath(ctx: StepContext): string;
}): Step {
	const {pid} = daemonPaths('server', 'cloudpipe');
	return defineStep({
		id: options.id,
		title: 'Seed the user data and run the payload',
		why:
			'In nova the instance boots with the payload as user data from the metadata server. Bound to a live instance ' +
			'(or an image directory), Waymark writes the same user data as a seed file (0600) and runs the payload ' +
			'now, as the boot unit would; when the payload changes, for example after a revocation, it runs again ' +
			'so the new CRL is in place.',
		role: options.role,
		params: ['userDataPath'],
		facts: ctx => ({
			seed: fileWithMode(options.userDataPath(ctx)),
			crl: fileText('/etc/openvpn/server/cloudpipe/crl.pem'),
			certificate: fileText('/etc/openvpn/server/cloudpipe/server.crt'),
			// running or stopped; no answer at all on an offline image, where only the seed can be written.
			running: commandAnswer(
				`if [ -d /run/systemd/system ]; then systemctl is-active --quiet openvpn-server@cloudpipe.service && ` +
					`echo running || echo stopped; elif [ -s ${quote(pid)} ] && kill -0 "$(cat ${quote(pid)})" 2>/dev/null; ` +
					`then echo running; else echo stopped; fi`,
			),
		}),
		plan(ctx, facts) {
			const path = options.userDataPath(ctx);
			const seed = fileChange(path, facts.seed.text, options.userData(ctx), {mode: 0o600, secret: true}, facts.seed.mode);
			const live = facts.running !== undefined;
			const run = live && (seed !== undefined || facts.running !== 'running');
			const actions = plan([seed, run && {kind: 'command', title: 'Run the payload (decode, unzip, autorun.sh)', script: quote(options.fetchScript)}]);
			return actions.actions.length === 0 ? noop('The VPN runs the current payload.') : actions;
		},
		verify(_ctx, facts): Check[] {
			// Things that go bad with time: a CRL past its next update refuses every client, an expired certificate too.
			const {crl, certificate} = facts;
			const running = facts.running ?? undefined;
			return [
				...(crl === null ? [] : [crlExpiryCheck('cloudpipe-crl-expiry', 'CRL of the project CA', crl)]),
				...(certificate === null ? [] : [certificateExpiryCheck('cloudpipe-server-expiry', 'VPN server certificate', certificate)]),
				...(running === undefined
					? []
					: [
							{
								id: 'cloudpipe-running',
								title: 'OpenVPN on the VPN instance',
								status: running === 'running' ? 'pass' : 'fail',
								evidence: `openvpn-server@cloudpipe: ${running}`,
								reason:
									running === 'running'
										? 'The VPN serves its project.'
										: 'Nobody can reach the project network while the VPN is down; the step runs the payload again.',
							} satisfies Check,
						]),
			];
		},
	});
}
