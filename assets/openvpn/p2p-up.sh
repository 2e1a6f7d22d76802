#!/bin/sh
{{header}}
# OpenVPN runs this when the tunnel device comes up ($1 is the device): the guide's policy routing, so
# traffic from the server's tunnel address leaves through the client. Added once, so a restart changes nothing.
ip rule show | grep -Eq "from {{local}} lookup ({{table}}|{{tableId}})\$" || ip rule add from {{local}} table {{tableId}}
ip route replace default via {{peer}} dev "${1:-tun0}" table {{tableId}}
