#!/bin/sh
{{header}}
# The guide's rc.local: get the user data (the seed Waymark wrote, else the metadata service), decode the
# base64, unzip it and run autorun.sh. With --crl-only, refresh just the CRL from the metadata service (the guide's
# cron job), and only with one signed by this server's CA.
set -eu
seed={{seed}}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# A CRL's cRLNumber as a decimal (0 when it has none or cannot be read); openssl prints it as hex.
crl_number() {
	n=$(openssl crl -noout -crlnumber -in "$1" 2>/dev/null | sed -n 's/^crlNumber=\(0x\)\{0,1\}//p')
	case $n in '' | *[!0-9A-Fa-f]*) echo 0 ;; *) echo $((0x$n)) ;; esac
}
fetch() {
	curl -fsS --max-time 20 {{url}} -o "$work/payload.b64" 2>/dev/null || wget -q -T 20 -O "$work/payload.b64" {{url}}
}
if [ "${1:-}" = --crl-only ]; then
	# A refresh wants what the metadata service holds now: the seed is the first boot's copy and never newer.
	fetch || { echo "cloudpipe-fetch: could not fetch "{{url}}"; the CRL in place is kept" >&2; exit 1; }
elif [ -s "$seed" ]; then
	cp "$seed" "$work/payload.b64"
else
	fetch
fi
base64 -d "$work/payload.b64" > "$work/payload.zip"
mkdir "$work/payload"
unzip -q -o "$work/payload.zip" -d "$work/payload"
if [ "${1:-}" = --crl-only ]; then
	# Only a CRL signed by the project CA already installed replaces the current one. `openssl crl -CAfile` exits 0
	# on "verify failure" (a CA of the same name with another key), so its answer is read, not its exit code.
	verdict=$(openssl crl -noout -in "$work/payload/crl.pem" -CAfile /etc/openvpn/server/cloudpipe/ca.crt 2>&1 || true)
	if [ "$verdict" != "verify OK" ]; then
		echo "cloudpipe-fetch: the fetched CRL is not signed by this server's CA ($verdict); the CRL in place is kept" >&2
		exit 1
	fi
	# A copy older than the one in place (the metadata service serving a stale or replayed payload) would take back
	# revocations, although its signature is good: the cRLNumber Waymark writes grows with every CRL it signs.
	have=$(crl_number /etc/openvpn/server/cloudpipe/crl.pem)
	got=$(crl_number "$work/payload/crl.pem")
	if [ "$got" -lt "$have" ]; then
		echo "cloudpipe-fetch: the fetched CRL (number $got) is older than the one in place ($have); the CRL in place is kept" >&2
		exit 1
	fi
	[ "$got" -eq "$have" ] && exit 0
	install -m 0644 "$work/payload/crl.pem" /etc/openvpn/server/cloudpipe/crl.pem
	exit 0
fi
sh "$work/payload/autorun.sh"
