// Every case table of the hypervisors guide's steps.
import {test} from 'node:test';
import {runCases} from '../cases.js';
import {containerProxyCases} from './container-proxy.cases.js';
import {dockerImageCases} from './docker-image.cases.js';
import {foundationCronCases} from './foundation-cron.cases.js';
import {dbPackagesCases, hypervisorPackagesCases, maasPackagesCases} from './hypervisor-packages.cases.js';
import {lxcMoveCases} from './lxc-move.cases.js';
import {databaseAnswerChecks, dbAccessCases, dbClientCases, grantPatternChecks} from './maas-database.cases.js';
import {maasFirewallCases} from './maas-firewall.cases.js';
import {maasNginxCases} from './maas-nginx.cases.js';
import {memoryCgroupCases} from './memory-cgroup.cases.js';
import {operatorKeyCases} from './operator-key.cases.js';
import {phpFpmSettingsCases} from './php-fpm-settings.cases.js';
import {sudoCases} from './sudo.cases.js';
import {tunnelClientCases} from './tunnel-client.cases.js';
import {tunnelRelayCases} from './tunnel-relay.cases.js';

for (const table of [
	...operatorKeyCases,
	...sudoCases,
	hypervisorPackagesCases,
	maasPackagesCases,
	dbPackagesCases,
	dbAccessCases,
	dbClientCases,
	memoryCgroupCases,
	foundationCronCases,
	maasFirewallCases,
	maasNginxCases,
	phpFpmSettingsCases,
	tunnelRelayCases,
	tunnelClientCases,
	containerProxyCases,
	lxcMoveCases,
	dockerImageCases,
]) {
	runCases(table);
}

test('database answers: plain MariaDB names, dbAddress and webAddress together; /proc/net/tcp read back as addresses', () => {
	databaseAnswerChecks();
	grantPatternChecks();
});
