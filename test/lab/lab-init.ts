// The scripts that start a lab, run by the machine's bash inside the lab's first private mount namespace.
// Both mount an overlay of the image on $LAB_DIR/merged (the image is never written) and prepare it the
// same way; then `shell` runs sshd under a bash pid 1, and `systemd` boots the image's systemd with nspawn.

// What every lab gets that the image does not have: its own host keys, name and machine id, and the operator's key.
const prepare = String.raw`
T=$LAB_DIR
M=$T/merged
mount -t overlay overlay -o "lowerdir=$LAB_IMAGE,upperdir=$T/upper,workdir=$T/work" "$M"
rm -f "$M"/etc/ssh/ssh_host_*_key "$M"/etc/ssh/ssh_host_*_key.pub
if [ -n "$LAB_RSA_KEY" ]; then
	install -m 0600 "$LAB_RSA_KEY" "$M/etc/ssh/ssh_host_rsa_key"
	install -m 0644 "$LAB_RSA_KEY.pub" "$M/etc/ssh/ssh_host_rsa_key.pub"
fi
chroot "$M" /usr/bin/env -i PATH="$LAB_PATH" /usr/bin/ssh-keygen -A >/dev/null
rm -f "$M/root/.ssh/authorized_keys" "$M/root/.ssh/authorized_keys2"
if [ "$LAB_KEY_IN" != none ]; then
	mkdir -p -m 0700 "$M/root/.ssh"
	cat "$T/id_ed25519.pub" > "$M/root/.ssh/$LAB_KEY_IN"
	chmod 0600 "$M/root/.ssh/$LAB_KEY_IN"
fi
echo "$LAB_NAME" > "$M/etc/hostname"
printf '127.0.0.1\tlocalhost\n127.0.1.1\t%s\n::1\t\tlocalhost ip6-localhost ip6-loopback\n' "$LAB_NAME" > "$M/etc/hosts"
echo "$LAB_MACHINE_ID" > "$M/etc/machine-id"
`;

/** Pid 1 of the lab's own pid namespace (unshare --pid --fork): mounts the API file systems, starts sshd, reaps. */
export const shellInit = `set -eu
ip link set lo up
${prepare}
hostname "$LAB_NAME"
mount -t proc proc "$M/proc"
# As nspawn does: sysctls outside net/ and sysfs are the machine kernel's own, so the lab may read them, never write.
mount --bind "$M/proc/sys" "$M/proc/sys"
mount --bind "$M/proc/sys/net" "$M/proc/sys/net"
mount -o remount,bind,ro "$M/proc/sys"
mount --rbind /dev "$M/dev"
mount -t sysfs -o ro sysfs "$M/sys"
if [ -d /sys/fs/cgroup ] && [ -d "$M/sys/fs/cgroup" ]; then mount --rbind /sys/fs/cgroup "$M/sys/fs/cgroup"; fi
mount -t tmpfs -o mode=0755,nosuid,nodev tmpfs "$M/run"
mkdir -p -m 0755 "$M/run/sshd" "$M/run/lock"
mount -t tmpfs -o mode=1777,nosuid,nodev tmpfs "$M/tmp"
mkdir -p "$M$LAB_REPO_PATH"
mount --bind "$LAB_REPO" "$M$LAB_REPO_PATH"
mount -o remount,bind,ro "$M$LAB_REPO_PATH"
chroot "$M" /usr/bin/env -i PATH="$LAB_PATH" /usr/sbin/sshd -D -e >>"$T/sshd.log" 2>&1 </dev/null &
: > "$T/ready"
trap 'exit 0' TERM INT HUP
while :; do wait || :; sleep 3600 & wait $! || :; done
`;

/**
 * Joins the lab's cgroups, prepares the overlay and runs systemd-nspawn on it, which boots the image's systemd
 * as pid 1 of a new pid namespace, with a network namespace of its own holding only lo. sshd's stderr goes to
 * $LAB_DIR/log through a drop-in bound under /run (so /etc stays the image's). A TERM (setpriv's parent-death
 * signal: the test process is gone) kills the whole cgroup, container included.
 */
export const systemdInit = String.raw`set -eu
for cg in $LAB_CGROUPS; do echo $$ > "$cg/cgroup.procs"; done
stop() { for cg in $LAB_CGROUPS; do [ ! -e "$cg/cgroup.kill" ] || echo 1 > "$cg/cgroup.kill"; done; exit 0; }
trap stop TERM INT HUP
${prepare}
mkdir -p -m 0755 "$T/log" "$T/units/ssh.service.d"
cat > "$T/units/ssh.service.d/waymark-lab.conf" <<'UNIT'
# Lab only: sshd's log in a file the test machine reads (sshd -e), not the journal.
[Service]
ExecStart=
ExecStart=/usr/sbin/sshd -D -e $SSHD_OPTS
StandardError=append:/run/waymark-lab/sshd.log
UNIT
SYSTEMD_NSPAWN_UNIFIED_HIERARCHY=1 systemd-nspawn --quiet --register=no --keep-unit --boot \
	--directory="$M" --machine="$LAB_MACHINE" --private-network --capability=all \
	--resolv-conf=off --timezone=off --link-journal=no --console=pipe \
	--bind-ro="$LAB_REPO:$LAB_REPO_PATH" \
	--bind="$T/log:/run/waymark-lab" \
	--bind-ro="$T/units/ssh.service.d:/run/systemd/system/ssh.service.d" \
	</dev/null &
: > "$T/ready"
wait $! || exit $?
`;
