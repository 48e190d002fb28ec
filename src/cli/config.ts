import fs from 'node:fs';
import path from 'node:path';
import yaml from 'js-yaml';
import type { JsonPath, Severity } from '../load/types.js';
import { YamlLocator } from '../load/yaml-locator.js';
import { ruleById } from '../rules/registry.js';
import { CNI_PROFILES } from '../rules/cni.js';
import { DEFAULT_DNS } from '../rules/dns.js';
import { DEFAULT_SYSTEM_NAMESPACES, type LintOptions } from '../rules/lint.js';
import { UserError } from './errors.js';

export const CONFIG_FILE = '.netpol.yaml';

export interface Config {
  file?: string;
  lint: LintOptions;
  defaultNamespace?: string;
  ignorePaths: string[];
}

/** `.netpol.yaml` in the working folder or the nearest parent, or undefined. */
export function findConfig(from = process.cwd()): string | undefined {
  for (let dir = path.resolve(from); ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, CONFIG_FILE);
    if (fs.existsSync(candidate)) return candidate;
    if (path.dirname(dir) === dir) return undefined;
  }
}

const SEVERITIES = ['error', 'warning', 'info', 'off'];

/**
 * Reads and validates a config file. Every mistake, an unknown key included, is an error with its file:line:col,
 * because a misspelt option that is silently ignored is worse than none.
 */
export function loadConfig(file: string | undefined): Config {
  const config: Config = { lint: { severities: {}, dns: { ...DEFAULT_DNS }, systemNamespaces: [...DEFAULT_SYSTEM_NAMESPACES] }, ignorePaths: [] };
  if (!file) return config;
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    throw new UserError(`${file}: cannot read the configuration file`);
  }
  config.file = file;
  let doc: unknown;
  let locator: YamlLocator;
  try {
    doc = yaml.load(text);
    locator = new YamlLocator(text);
  } catch (err) {
    const e = err as yaml.YAMLException;
    throw new UserError(`${file}:${(e.mark?.line ?? 0) + 1}:${(e.mark?.column ?? 0) + 1}: invalid YAML: ${e.reason ?? e.message}`);
  }
  /** Stops at the value (or with `key`, the key) at `at`, with its file:line:col. */
  const fail = (at: JsonPath, message: string, key = false): never => {
    const range = locator.range(at, key);
    const pos = range ? locator.lineColumn(range[0]) : { line: 1, col: 1 };
    throw new UserError(`${file}:${pos.line}:${pos.col}: ${message}`);
  };
  if (doc === null || doc === undefined) return config;
  if (!isMapping(doc)) return fail([], 'the configuration must be a mapping');
  const strings = (value: unknown, at: JsonPath, what: string): string[] => {
    if (!Array.isArray(value) || value.some((i) => typeof i !== 'string' && typeof i !== 'number')) fail(at, `${what} must be a list of strings`);
    return (value as unknown[]).map(String);
  };
  for (const [key, value] of Object.entries(doc)) {
    switch (key) {
      case 'rules': {
        if (!isMapping(value)) return fail([key], 'rules must map rule ids to error, warning, info or off');
        for (const [id, sev] of Object.entries(value)) {
          if (!ruleById(id)) fail([key, id], `unknown rule "${id}" (netpol rules lists them)`, true);
          if (typeof sev !== 'string' || !SEVERITIES.includes(sev)) fail([key, id], `rule ${id}: "${isScalar(sev) && sev !== null ? String(sev) : ''}" is not error, warning, info or off`);
          config.lint.severities[id] = sev as Severity | 'off';
        }
        break;
      }
      case 'cni': {
        const name = typeof value === 'string' ? value : '';
        if (!CNI_PROFILES[name]) fail([key], `unknown cni "${String(value ?? '')}" (known: ${Object.keys(CNI_PROFILES).join(', ')})`);
        config.lint.cni = name;
        break;
      }
      case 'dns': {
        if (!isMapping(value)) return fail([key], 'dns must be a mapping with namespace, labels, ports, addresses');
        for (const [k, v] of Object.entries(value)) {
          const at = [key, k];
          if (k === 'namespace' && isScalar(v)) config.lint.dns.namespace = String(v);
          else if (k === 'labels' && isMapping(v)) config.lint.dns.podLabels = Object.fromEntries(Object.entries(v).map(([lk, lv]) => [lk, String(lv)]));
          else if (k === 'ports') config.lint.dns.ports = strings(v, at, 'dns.ports').map((p) => {
            const n = Number(p);
            if (!Number.isInteger(n) || n < 1 || n > 65535) fail(at, `dns.ports: ${p} is not a port`);
            return n;
          });
          else if (k === 'addresses') config.lint.dns.addresses = strings(v, at, 'dns.addresses');
          else fail(at, `unknown key dns.${k} (namespace, labels, ports, addresses)`, true);
        }
        break;
      }
      case 'systemNamespaces':
        config.lint.systemNamespaces = strings(value, [key], 'systemNamespaces');
        break;
      case 'defaultNamespace':
        if (!isScalar(value)) fail([key], 'defaultNamespace must be a name');
        config.defaultNamespace = String(value);
        break;
      case 'ignorePaths':
        config.ignorePaths = strings(value, [key], 'ignorePaths');
        break;
      default:
        fail([key], `unknown key "${key}" (rules, cni, dns, systemNamespaces, defaultNamespace, ignorePaths)`, true);
    }
  }
  return config;
}

const isMapping = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
const isScalar = (v: unknown): boolean => v === null || ['string', 'number', 'boolean'].includes(typeof v);
