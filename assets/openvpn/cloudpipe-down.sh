#!/bin/sh
{{header}}
# The guide's down.sh took the device off the bridge. Best effort: after `user nobody` this may lack the rights.
iptables -w -t nat -D POSTROUTING -s {{pool}} -j MASQUERADE 2>/dev/null || true
