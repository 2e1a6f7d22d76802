#!/bin/sh
{{header}}
# The guide's autorun.sh, run from the unpacked user data: installs keys and config, then starts OpenVPN,
# restarting it only when the config or keys changed (a new crl.pem is read at the next handshake by itself).
set -eu
cd "$(dirname "$0")"
dir=/etc/openvpn/server/cloudpipe
conf=/etc/openvpn/server/cloudpipe.conf
install -d -m 0755 /etc/openvpn/server "$dir"
before=$(cat "$conf" "$dir"/*.crt "$dir"/*.key 2>/dev/null | cksum)
install -m 0600 server.key tls-crypt.key "$dir"/
install -m 0644 ca.crt server.crt crl.pem "$dir"/
install -m 0755 up.sh down.sh "$dir"/
install -m 0644 server.conf "$conf"
after=$(cat "$conf" "$dir"/*.crt "$dir"/*.key 2>/dev/null | cksum)
if [ -d /run/systemd/system ]; then
	systemctl enable openvpn-server@cloudpipe.service
	if [ "$before" != "$after" ]; then systemctl restart openvpn-server@cloudpipe.service; else systemctl start openvpn-server@cloudpipe.service; fi
	exit 0
fi
pid={{pidFile}}
if [ -s "$pid" ] && kill -0 "$(cat "$pid")" 2>/dev/null; then
	[ "$before" = "$after" ] && exit 0
	kill "$(cat "$pid")"
	i=0; while kill -0 "$(cat "$pid")" 2>/dev/null && [ $i -lt 50 ]; do sleep 0.1; i=$((i+1)); done
fi
{{start}}
