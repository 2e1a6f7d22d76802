#!/bin/sh
{{header}}
# The guide's up.sh added the tap device to the project bridge. Routed instead: forward, and let project
# instances see VPN users as coming from this instance, so they need no route back.
sysctl -qw net.ipv4.ip_forward=1
iptables -w -t nat -C POSTROUTING -s {{pool}} -j MASQUERADE 2>/dev/null || iptables -w -t nat -A POSTROUTING -s {{pool}} -j MASQUERADE
