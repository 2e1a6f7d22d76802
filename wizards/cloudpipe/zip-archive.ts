// A zip of stored (uncompressed) entries with fixed times: the same files always give the same bytes,
// so a payload built in a pure plan compares equal to the one already on the host.
import {crc32} from 'node:zlib';

export interface ZipEntry {
	readonly name: string;
	readonly content: string;
	/** Unix mode of the entry, e.g. 0o755 for a script; unzip restores it. */
	readonly mode?: number;
}

// 1980-01-01 00:00 in DOS time: the earliest a zip can say, and the same on every run.
const DOS_TIME = 0;
const DOS_DATE = (0 << 9) | (1 << 5) | 1;

export function zipArchive(entries: readonly ZipEntry[]): Buffer {
	const locals: Buffer[] = [];
	const centrals: Buffer[] = [];
	let offset = 0;
	for (const entry of entries) {
		const name = Buffer.from(entry.name, 'utf8');
		const data = Buffer.from(entry.content, 'utf8');
		const crc = crc32(data);
		const local = Buffer.alloc(30);
		local.writeUInt32LE(0x04_03_4b_50, 0);
		local.writeUInt16LE(20, 4);
		local.writeUInt16LE(0x08_00, 6); // UTF-8 names
		local.writeUInt16LE(0, 8); // stored
		local.writeUInt16LE(DOS_TIME, 10);
		local.writeUInt16LE(DOS_DATE, 12);
		local.writeUInt32LE(crc, 14);
		local.writeUInt32LE(data.length, 18);
		local.writeUInt32LE(data.length, 22);
		local.writeUInt16LE(name.length, 26);
		local.writeUInt16LE(0, 28);
		const central = Buffer.alloc(46);
		central.writeUInt32LE(0x02_01_4b_50, 0);
		central.writeUInt16LE((3 << 8) | 20, 4); // made by Unix, so the mode below counts
		central.writeUInt16LE(20, 6);
		central.writeUInt16LE(0x08_00, 8);
		central.writeUInt16LE(0, 10);
		central.writeUInt16LE(DOS_TIME, 12);
		central.writeUInt16LE(DOS_DATE, 14);
		central.writeUInt32LE(crc, 16);
		central.writeUInt32LE(data.length, 20);
		central.writeUInt32LE(data.length, 24);
		central.writeUInt16LE(name.length, 28);
		central.writeUInt32LE(((0o100_000 | (entry.mode ?? 0o644)) << 16) >>> 0, 38);
		central.writeUInt32LE(offset, 42);
		locals.push(local, name, data);
		centrals.push(central, name);
		offset += local.length + name.length + data.length;
	}

	const directory = Buffer.concat(centrals);
	const end = Buffer.alloc(22);
	end.writeUInt32LE(0x06_05_4b_50, 0);
	end.writeUInt16LE(entries.length, 8);
	end.writeUInt16LE(entries.length, 10);
	end.writeUInt32LE(directory.length, 12);
	end.writeUInt32LE(offset, 16);
	return Buffer.concat([...locals, directory, end]);
}

/** Base64 in lines of 76, as `base64` writes it and cloud user data is usually pasted. */
export function base64Lines(bytes: Buffer): string {
	return `${(bytes.toString('base64').match(/.{1,76}/g) ?? []).join('\n')}\n`;
}
