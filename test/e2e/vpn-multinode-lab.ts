// What a WireGuard mesh needs inside a lab host: the packages on the machine, and /dev/net/tun for wireguard-go.
import type {LabHost} from '../lab/lab-host.js';

/** The tools the wizard calls on the hosts (the lab's root is an overlay of the machine's, so they come from there). */
export const meshPackages: readonly string[] = ['wireguard-tools', 'wireguard-go', 'iputils-ping', 'iptables'];

/**
 * wireguard-go opens /dev/net/tun. A lab's /dev is the machine's, bound in, so the node is normally there; where it is
 * not (a machine without the tun module loaded at boot), a tmpfs on the lab's own /dev/net holds a new node, so nothing
 * changes on the machine's /dev. The kernel still checks the device: `cat` reports "File descriptor in bad state"
 * (EBADFD) for a working tun that has no interface attached, and "No such device" when tun is missing from the kernel.
 */
export async function ensureTunDevice(host: LabHost): Promise<void> {
	const script = [
		'[ -c /dev/net/tun ] && exit 0',
		'[ -d /dev/net ] || { echo "no /dev/net directory in the lab: load the tun module on the machine (modprobe tun)"; exit 1; }',
		'mount -t tmpfs -o mode=0755 tmpfs /dev/net && mknod -m 0666 /dev/net/tun c 10 200',
	].join('\n');
	const made = await host.exec(script);
	if (made.exitCode !== 0) {
		throw new Error(`${host.alias}: /dev/net/tun is missing and could not be made: ${made.stdout}${made.stderr}`);
	}

	const probe = await host.exec('cat /dev/net/tun 2>&1; true');
	if (/No such device/.test(probe.stdout)) {
		throw new Error(`${host.alias}: the kernel has no tun driver, so wireguard-go cannot run (${probe.stdout.trim()})`);
	}
}
