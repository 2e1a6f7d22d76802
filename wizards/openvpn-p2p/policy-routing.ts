// The guide's `ip rule add from <server_IP> table 1` and `ip route add default via <client_IP> dev tun0 table 1`,
// made to last: the table gets a name in rt_tables.d (PITFALLS §8) and OpenVPN's up script sets both whenever the
// tunnel comes up (the route dies with tun0, so a boot-time script alone would not do).
import {defineStep} from '../../source/engine/step.js';
import type {Step, StepContext} from '../../source/engine/types.js';
import {commandAnswer, commandOutput} from '../../source/facts/command.js';
import {fileText} from '../../source/facts/files.js';
import {quote} from '../../source/targets/quote.js';
import {fileChange, header, noop, plan} from '../common/plan-helpers.js';

export interface PolicyRouting {
	readonly tableId: string;
	readonly tableName: string;
	/** The server's tunnel address: traffic from it uses the table. */
	readonly from: string;
	/** The client's tunnel address: the table's default route. */
	readonly via: string;
	readonly device: string;
	/** Where the up script goes; the OpenVPN config names it. */
	readonly upScript: string;
	/** The rendered up script. */
	readonly upScriptText: string;
}

export const rtTablesFile = '/etc/iproute2/rt_tables.d/waymark.conf';

export function policyRoutingStep(options: {
	id: string;
	role: string;
	wizard: string;
	params: readonly string[];
	routing(ctx: StepContext): PolicyRouting;
}): Step {
	return defineStep({
		id: options.id,
		title: 'Routing table for traffic from the tunnel address',
		why:
			'The guide adds `ip rule add from <server_IP> table 1` and `ip route add default via <client_IP> dev ' +
			"tun0 table 1` by hand: replies from the server's tunnel address go back through the client, into the " +
			'private network. Typed by hand they are gone after a reboot or a tunnel restart. Here the table is named ' +
			"in /etc/iproute2/rt_tables.d (iproute2 6.5+ ships no rt_tables file), OpenVPN's up script sets the rule " +
			'and the route each time tun0 comes up, and they are set now if the tunnel is already up.',
		role: options.role,
		params: options.params,
		facts(ctx) {
			const routing = options.routing(ctx);
			return {
				tables: fileText(rtTablesFile),
				up: fileText(routing.upScript),
				device: commandOutput(`ip -o link show ${quote(routing.device)} 2>/dev/null`),
				// Answered at all (a live host) matters apart from the rules themselves.
				rules: commandAnswer('ip rule show'),
				routes: commandOutput(`ip route show table ${quote(routing.tableId)} 2>/dev/null; true`),
			};
		},
		plan(ctx, facts) {
			const routing = options.routing(ctx);
			const tables = facts.tables;
			const line = `${routing.tableId}\t${routing.tableName}`;
			const others = (tables ?? '').split('\n').filter(each => each !== '' && !each.startsWith('#') && each.split(/\s+/)[1] !== routing.tableName);
			const wantedTables = [header(options.wizard, options.id), ...others, line, ''].join('\n');
			const deviceUp = facts.device !== undefined && facts.device !== '';
			const ruleThere = new RegExp(`from ${routing.from.replaceAll('.', '\\.')} lookup (${routing.tableName}|${routing.tableId})$`, 'm').test(
				facts.rules ?? '',
			);
			const routeThere = (facts.routes ?? '').split('\n').some(route => route.startsWith(`default via ${routing.via} dev ${routing.device}`));
			const live = facts.rules !== undefined;
			const applyNow = live && deviceUp && (!ruleThere || !routeThere);
			const actions = plan([
				fileChange(rtTablesFile, tables, tables?.split('\n').includes(line) ? tables : wantedTables, {mode: 0o644}),
				fileChange(routing.upScript, facts.up, routing.upScriptText, {mode: 0o755}),
				applyNow && {
					kind: 'command',
					title: `Route traffic from ${routing.from} via ${routing.via} (table ${routing.tableName}) now`,
					script: `sh ${quote(routing.upScript)} ${quote(routing.device)}`,
				},
			]);
			if (actions.actions.length === 0) {
				return noop(
					deviceUp
						? `Traffic from ${routing.from} uses table ${routing.tableName} (default via ${routing.via}).`
						: `Table ${routing.tableName} is named; the up script sets the rule and route when ${routing.device} comes up.`,
				);
			}

			return {
				...actions,
				notes: deviceUp || !live ? [] : [`${routing.device} is not up yet: the up script sets the rule and the route when the tunnel starts.`],
			};
		},
	});
}
