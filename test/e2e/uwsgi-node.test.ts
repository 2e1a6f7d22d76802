// The uwsgi-node guide on fresh Debian 12 and 13 hosts, each with systemd as pid 1, as a real server has.
import {guideEndToEnd} from './guide-matrix.js';
import {uwsgiNodeCase} from './uwsgi-node-case.js';

await guideEndToEnd(uwsgiNodeCase);
