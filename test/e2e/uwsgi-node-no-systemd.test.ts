// The uwsgi-node guide on a host whose pid 1 is not systemd (a plain container): the steps that differ without
// systemd (reloading sshd by signal, units written for a later boot, saved rules with no unit to load them) take
// that path, and the run still ends done, converged, with check agreeing.
import {guideEndToEnd} from './guide-matrix.js';
import {uwsgiNodeCase} from './uwsgi-node-case.js';

await guideEndToEnd({...uwsgiNodeCase, init: 'shell', variant: 'no systemd'}, ['trixie']);
