// The guide's instructions no step carries out: its Ansible tooling, the Drupal section it left empty, a test by hand.
import type {NotDoneHere} from '../../source/engine/types.js';

export const hypervisorsNotDoneHere: readonly NotDoneHere[] = [
	{
		instruction: 'cd foundation/ansible, then ansible-playbook maas.yml -i hosts --ask-sudo-pass',
		reason:
			"Waymark carries out the guide's documented settings as its own steps (--become asks once, for --ask-sudo-pass); what only the foundation playbook does is not covered.",
	},
	{
		instruction: 'Drupal installation (the section is empty in the guide)',
		reason: 'The guide gives no steps. Waymark makes its database and user (db-access, db-client); install Drupal with Composer and point the site root at it.',
	},
	{
		instruction: 'test from a container: curl -k http://hypervisor:64443',
		reason:
			"Waymark sends no request from inside a container: from one, `curl -k https://192.168.49.49:64443/` (the containers' address and port; the MaaS site speaks TLS).",
	},
	{
		instruction: 'get the foundation scripts onto the hypervisors (/opt/foundation/scripts)',
		reason: 'The guide names the scripts its cron jobs run but not how they get there: clone them to scriptsDir; foundation-cron only calls them.',
	},
];
