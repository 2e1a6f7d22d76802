// nginx takes a new config only after `nginx -t` passes: reload it, or start it where it is not running.
export const nginxTestAndReload = [
	'nginx -t',
	'if [ -d /run/systemd/system ]; then systemctl enable nginx && systemctl reload-or-restart nginx',
	'elif [ -s /run/nginx.pid ] && kill -0 "$(cat /run/nginx.pid)" 2>/dev/null; then nginx -s reload',
	'else nginx; fi',
].join('\n');
