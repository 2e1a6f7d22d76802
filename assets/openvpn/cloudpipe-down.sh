#!/bin/sh
{{header}}
# The guide's down.sh took the device off the bridge; routed, it removes the NAT rule up.sh added. The down-root
# plugin runs it as root, after the tunnel closed.
iptables -w -t nat -D POSTROUTING -s {{pool}} -j MASQUERADE 2>/dev/null || true
