// Every case table of the shared steps: those a guide configures, as it does, and the rest on a wizard of their own.
import {runCases} from '../cases.js';
import {cgroupsCases} from './cgroups.cases.js';
import {ipForwardingCases} from './ip-forwarding.cases.js';
import {iptablesAppendCases} from './iptables-append.cases.js';
import {kernelCmdlineCases} from './kernel-cmdline.cases.js';
import {openvpnInstallCases} from './openvpn-install.cases.js';
import {openvpnServiceCases} from './openvpn-service.cases.js';
import {packagesCases} from './packages.cases.js';
import {sshdHardeningCases} from './sshd-hardening.cases.js';
import {wantedFilesCases} from './wanted-files.cases.js';

for (const table of [
	packagesCases,
	kernelCmdlineCases,
	cgroupsCases,
	sshdHardeningCases,
	iptablesAppendCases,
	ipForwardingCases,
	openvpnInstallCases,
	openvpnServiceCases,
	wantedFilesCases,
]) {
	runCases(table);
}
