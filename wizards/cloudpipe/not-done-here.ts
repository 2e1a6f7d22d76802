// The guide's nova-only instructions: cloudpipe and nova-network are gone from OpenStack, so each says what it did
// and what does that job on a generic cloud today.
import type {NotDoneHere} from '../../source/engine/types.js';

const novaGone = 'cloudpipe and nova-network are no longer part of OpenStack';

export const cloudpipeNotDoneHere: readonly NotDoneHere[] = [
	{
		instruction: 'register the image and set --vpn_image_id=ami-xxxxxxxx in the flagfile',
		reason:
			`${novaGone}. Waymark makes the guide's image in place on a host you launched from a stock Debian image (steps ` +
			'vpn-openvpn and vpn-image); to keep it as an image, snapshot it with your cloud (openstack image create, or its web console).',
	},
	{
		instruction: 'nova-manage creates the keypair <project_id>-vpn in the keys directory',
		reason:
			'Waymark reaches the VPN host with your own SSH client, key and agent, so no keypair is made for it. On a cloud today ' +
			'the key is given at launch (openstack keypair create, or cloud-init ssh_authorized_keys).',
	},
	{
		instruction: 'nova-manage launches an m1.tiny instance of the VPN image (`nova-manage vpn run`)',
		reason:
			'Waymark does not create machines: launch the VPN instance with your cloud (openstack server create, or any ' +
			'provider), then give it as the vpn target. The wizard configures it and hands it the payload as user data.',
	},
	{
		instruction: 'the second IP of each project network is reserved for the VPN instance',
		reason: `${novaGone}, and so is its address management: the instance's address is the one your cloud gave it, given as vpnIp (a fixed IP on its port, or a DHCP reservation, keeps it).`,
	},
	{
		instruction: 'associate a public IP, then change vpn_public_ip and vpn_public_port in the database',
		reason: "nova's database holds no cloudpipe data any more: associate the address with your cloud and give it as publicIp and publicPort.",
	},
	{
		instruction: 'reboot a broken cloudpipe through the API (`euca-reboot-instances`)',
		reason: "The EC2 API is gone from OpenStack: reboot the instance with your cloud's own API or console; OpenVPN starts again at boot.",
	},
	{
		instruction: 'after a new CRL, terminate the instance and start a new one (`nova-manage vpn run`)',
		reason:
			'Not needed: the VPN instance fetches the CRL every hour from the metadata service (cloudpipe-crl.timer) and installs ' +
			'it only when it is signed by the project CA and newer than the one in place; OpenVPN reads it on every connection.',
	},
	{
		instruction: 'wait 10 min for NoMoreAddresses, or reset fixed_ips in the nova database and kill dnsmasq',
		reason:
			`${novaGone}: its fixed-IP pool and dnsmasq were its own. The VPN instance's address (vpnIp) is the one your ` +
			'cloud gave it, and Waymark never relaunches it, so there is nothing to recover.',
	},
	{
		instruction: 'log in for debugging with the keypair in keys/<project_id>',
		reason: 'Log in with your own key, as Waymark does (ssh to the vpn target); no per-project key is made.',
	},
];
