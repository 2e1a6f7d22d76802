// A step as data over typed facts: each fact says what to read and how to parse it, and plan and verify receive
// the parsed values. The engine still batches the raw reads of every step of a host into one round trip.
import type {Check, Fact, FactRequest, Facts, Plan, Step, StepContext} from './types.js';

/** Where a fact comes from on the target, without its key (the name in the step's fact table is the key). */
export type FactSource =
	| {readonly kind: 'file'; readonly path: string}
	| {readonly kind: 'dir'; readonly path: string}
	| {readonly kind: 'command'; readonly command: string}
	| {readonly kind: 'login'};

/** One fact: what to read, and how to turn the target's answer into a value the plan can use. */
export interface FactDef<T> {
	readonly request: FactSource;
	parse(fact: Fact): T;
}

export type FactDefs = Readonly<Record<string, FactDef<unknown>>>;

/** The parsed values of a fact table, by name. */
export type Parsed<D extends FactDefs> = {readonly [K in keyof D]: D[K] extends FactDef<infer T> ? T : never};

/** A step whose functions see parsed facts. */
export interface StepSpec<D extends FactDefs> extends Omit<Step, 'facts' | 'plan' | 'verify'> {
	facts(ctx: StepContext): D;
	plan(ctx: StepContext, facts: Parsed<D>): Plan;
	verify?(ctx: StepContext, facts: Parsed<D>): readonly Check[];
}

/** What a target answers for a fact it was never asked, or cannot answer (a command on an offline root:DIR). */
export function missingFact(key: string): Fact {
	return {key, exists: false, text: '', exitCode: 127, unavailable: true};
}

/**
 * The engine's view of a typed step. Facts are parsed lazily, on first use, so the engine still sees which raw
 * facts a check read (an offline target's unanswered command makes that check wait for the live host).
 */
export function defineStep<D extends FactDefs>(spec: StepSpec<D>): Step {
	const {facts, plan, verify, ...rest} = spec;
	const parsed = (ctx: StepContext, raw: Facts): Parsed<D> => {
		const defs = facts(ctx);
		const view: Record<string, unknown> = {};
		for (const [name, def] of Object.entries(defs)) {
			let done = false;
			let value: unknown;
			Object.defineProperty(view, name, {
				enumerable: true,
				get() {
					if (!done) {
						value = def.parse(raw.get(name) ?? missingFact(name));
						done = true;
					}

					return value;
				},
			});
		}

		return view as Parsed<D>;
	};

	return {
		...rest,
		facts: (ctx): FactRequest[] => Object.entries(facts(ctx)).map(([key, def]) => ({...def.request, key}) as FactRequest),
		plan: (ctx, raw) => plan(ctx, parsed(ctx, raw)),
		...(verify ? {verify: (ctx: StepContext, raw: Facts) => verify(ctx, parsed(ctx, raw))} : {}),
	};
}
