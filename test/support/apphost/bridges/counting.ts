/**
 * Counts the calls the engine makes into the host's bridges (the `do…` entry points every
 * accessor goes through). Out of process each of these is one RPC from the app's subprocess, so
 * the count per user is the figure the scale tests report.
 */
export interface CallCounter {
    readonly counts: Map<string, number>;
    total(): number;
    reset(): void;
}

export function countBridgeCalls(bridges: Record<string, object>): CallCounter {
    const counts = new Map<string, number>();
    for (const [name, bridge] of Object.entries(bridges)) {
        const methods = new Set<string>();
        for (let proto = Object.getPrototypeOf(bridge); proto && proto !== Object.prototype; proto = Object.getPrototypeOf(proto)) {
            for (const key of Object.getOwnPropertyNames(proto)) {
                if (/^do[A-Z]/.test(key) && typeof (bridge as Record<string, unknown>)[key] === 'function') {
                    methods.add(key);
                }
            }
        }
        for (const key of methods) {
            const original = (bridge as Record<string, (...args: unknown[]) => unknown>)[key];
            Object.defineProperty(bridge, key, {
                configurable: true,
                writable: true,
                value: function counted(this: unknown, ...args: unknown[]) {
                    const label = `${name}.${key}`;
                    counts.set(label, (counts.get(label) ?? 0) + 1);
                    return original.apply(this, args);
                },
            });
        }
    }
    return {
        counts,
        total: () => [...counts.values()].reduce((a, b) => a + b, 0),
        reset: () => counts.clear(),
    };
}
