// Number formatting shared by the report and the targets: rates, ratios, sizes.

/** A whole number with thousands separators. */
export const int = (n: number): string => Math.round(n).toLocaleString('en-US');

/** A rate per second: whole numbers, or one decimal below 100. */
export const rate = (n: number): string => (n >= 100 ? int(n) : n.toFixed(1));

/** A ratio such as `0.62×`. */
export const ratio = (a: number, b: number): string => `${(a / b).toFixed(2)}×`;

/** MiB with no decimals. */
export const mib = (n: number): string => `${int(n)} MiB`;

/** Seconds with one decimal. */
export const secs = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;
