// A vault in memory, read through to another (the disk) for what is already kept: a dry run's vault, so making
// a plan can issue throwaway certificates without a single write.
import type {Vault} from './types.js';

export class MemoryVault implements Vault {
	private readonly values = new Map<string, string>();

	constructor(private readonly base?: Vault) {}

	read(path: string): string | undefined {
		return this.values.get(path) ?? this.base?.read(path);
	}

	write(path: string, value: string): void {
		this.values.set(path, value);
	}
}
