/** A JSON path into a loaded document, e.g. ['spec', 'ingress', 0, 'from', 1]. */
export type JsonPath = (string | number)[];

/** Where an object came from, precise enough to find it again in its file. */
export interface Origin {
  /** File path as the user gave it (relative paths stay relative), or `<stdin>`. */
  file: string;
  /** 0-based index of the YAML document in the file (0 for JSON files). */
  docIndex: number;
  /** 1-based line where the document starts; used to offset parse errors and positions. */
  docLine: number;
  /** 1-based line of the List item, when the file was too big to locate within (see big-file.ts). */
  itemLine?: number;
  /** Path of the object inside its document: [] for a top-level object, ['items', 3] inside a List. */
  pathPrefix: JsonPath;
  /** Helm's `# Source: chart/templates/x.yaml` comment before the document, when present. */
  helmSource?: string;
  /** Read from a running cluster: there is no file position, the object is named instead. */
  live?: boolean;
}

/** A Kubernetes object as parsed, before the model interprets it. */
export interface RawObject {
  apiVersion: string;
  kind: string;
  /** The parsed document (or List item), untouched. */
  body: Record<string, unknown>;
  origin: Origin;
}

export type Severity = 'error' | 'warning' | 'info';

/** Something the loader could not use, or used with a caveat. */
export interface LoadProblem {
  severity: Severity;
  message: string;
  file: string;
  line?: number;
  column?: number;
}

export interface LoadResult {
  objects: RawObject[];
  problems: LoadProblem[];
  /** Texts read from stdin, kept so that positions can be resolved later. */
  stdinText?: string;
  /** Sources that parsed as JSON: their positions are found by scanning the text, not by a YAML parser. */
  jsonSources?: Set<string>;
  /** The texts read, by file, when the caller asked to keep them (files read item by item are not kept). */
  texts?: Map<string, string>;
}
