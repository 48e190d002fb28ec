// The targets of the performance issue, read by the benchmark (to print them beside each row) and by the table
// script (to mark each figure met or not).

export interface Targets {
  /** Median wall time of `matrix -o json`, in seconds, on JSON and on YAML input. */
  json?: number;
  yaml?: number;
  /** Peak RSS of any benchmarked command, in MB. */
  rssMb?: number;
  /** (matrix - parse floor) / parse floor, on every input form. */
  analysisOverFloor?: number;
}

/** `lint` / `matrix` (the pair listing), on every profile and input form. */
export const LINT_OVER_MATRIX = 2;

export const TARGETS: Record<string, Targets> = {
  small: { json: 0.3, yaml: 0.5 },
  medium: { json: 1.5, yaml: 5, rssMb: 1000, analysisOverFloor: 1.5 },
  large: { json: 4, yaml: 45, rssMb: 2000, analysisOverFloor: 1.5 },
  huge: { json: 8, yaml: 80, rssMb: 2000 },
  dense: { json: 3 }, // the pair listing: 25 million lines, about 3 GB
};

/** The wall-time target of a profile's input form. */
export const secondsTarget = (profile: string, form: string): number | undefined => (form.startsWith('json') ? TARGETS[profile]?.json : TARGETS[profile]?.yaml);
