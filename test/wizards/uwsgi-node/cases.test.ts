// Every case table of the uwsgi-node guide's own steps (its shared steps are in ../common).
import {runCases} from '../cases.js';
import {directoriesCases} from './directories.cases.js';
import {fstabQuotaCases} from './fstab-quota.cases.js';
import {ioSchedulerCases} from './io-scheduler.cases.js';
import {nssModuleCases} from './nss-module.cases.js';
import {pamSessionCases} from './pam-session.cases.js';
import {timeSyncCases} from './time-sync.cases.js';
import {tuntapFirewallCases} from './tuntap-firewall.cases.js';
import {uwsgiItTreeCases} from './uwsgi-it-tree.cases.js';
import {uwsgiLocalIniCases} from './uwsgi-local-ini.cases.js';
import {uwsgiSslCases} from './uwsgi-ssl.cases.js';

for (const table of [
	timeSyncCases,
	ioSchedulerCases,
	fstabQuotaCases,
	nssModuleCases,
	pamSessionCases,
	directoriesCases,
	uwsgiItTreeCases,
	uwsgiLocalIniCases,
	uwsgiSslCases,
	tuntapFirewallCases,
]) {
	runCases(table);
}
