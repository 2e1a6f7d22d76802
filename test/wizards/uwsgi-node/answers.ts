// The answers every uwsgi-node case table starts from: one node of three.
export const nodeAnswers = {publicIp: '192.0.2.10', apiDomain: 'node1.example.test', peerNodes: ['192.0.2.11', '192.0.2.12']} as const;

/** What a modern Debian host says to the platform probe. */
export const modernHost = {kernel: '6.1.0-28-amd64\n', container: 'none\n', systemd: 'yes\n'} as const;
