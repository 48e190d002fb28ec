import fs from 'node:fs';
import path from 'node:path';
import { LineCounter, parseDocument, isMap, isSeq, isScalar, type Node } from 'yaml';
import type { Severity } from '../load/types.js';
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
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc });
  const fail = (node: Node | null | undefined, message: string): never => {
    const pos = node?.range ? lc.linePos(node.range[0]) : { line: 1, col: 1 };
    throw new UserError(`${file}:${pos.line}:${pos.col}: ${message}`);
  };
  if (doc.errors.length) fail(null, `invalid YAML: ${doc.errors[0].message.split('\n')[0]}`);
  if (doc.contents === null) return config;
  if (!isMap(doc.contents)) fail(doc.contents, 'the configuration must be a mapping');
  const strings = (node: unknown, what: string): string[] => {
    if (!isSeq(node) || node.items.some((i) => !isScalar(i) || typeof i.value !== 'string' && typeof i.value !== 'number')) fail(node as Node, `${what} must be a list of strings`);
    return (node as { items: { value: unknown }[] }).items.map((i) => String(i.value));
  };
  for (const pair of (doc.contents as { items: { key: unknown; value: unknown }[] }).items) {
    const keyNode = pair.key as Node;
    const key = isScalar(keyNode) ? String(keyNode.value) : '';
    const value = pair.value as Node;
    switch (key) {
      case 'rules': {
        if (!isMap(value)) fail(value, 'rules must map rule ids to error, warning, info or off');
        for (const r of (value as unknown as { items: { key: Node; value: Node }[] }).items) {
          const id = isScalar(r.key) ? String(r.key.value) : '';
          if (!ruleById(id)) fail(r.key, `unknown rule "${id}" (netpol rules lists them)`);
          const sev = isScalar(r.value) ? String(r.value.value) : '';
          if (!SEVERITIES.includes(sev)) fail(r.value, `rule ${id}: "${sev}" is not error, warning, info or off`);
          config.lint.severities[id] = sev as Severity | 'off';
        }
        break;
      }
      case 'cni': {
        const name = isScalar(value) ? String(value.value) : '';
        if (!CNI_PROFILES[name]) fail(value, `unknown cni "${name}" (known: ${Object.keys(CNI_PROFILES).join(', ')})`);
        config.lint.cni = name;
        break;
      }
      case 'dns': {
        if (!isMap(value)) fail(value, 'dns must be a mapping with namespace, labels, ports, addresses');
        for (const d of (value as unknown as { items: { key: Node; value: Node }[] }).items) {
          const k = isScalar(d.key) ? String(d.key.value) : '';
          if (k === 'namespace' && isScalar(d.value)) config.lint.dns.namespace = String(d.value.value);
          else if (k === 'labels' && isMap(d.value)) config.lint.dns.podLabels = Object.fromEntries((d.value.items as { key: Node; value: Node }[]).map((i) => [String((i.key as { value: unknown }).value), String((i.value as { value: unknown }).value)]));
          else if (k === 'ports') config.lint.dns.ports = strings(d.value, 'dns.ports').map((p) => {
            const n = Number(p);
            if (!Number.isInteger(n) || n < 1 || n > 65535) fail(d.value, `dns.ports: ${p} is not a port`);
            return n;
          });
          else if (k === 'addresses') config.lint.dns.addresses = strings(d.value, 'dns.addresses');
          else fail(d.key, `unknown key dns.${k} (namespace, labels, ports, addresses)`);
        }
        break;
      }
      case 'systemNamespaces':
        config.lint.systemNamespaces = strings(value, 'systemNamespaces');
        break;
      case 'defaultNamespace':
        if (!isScalar(value)) fail(value, 'defaultNamespace must be a name');
        config.defaultNamespace = String((value as { value: unknown }).value);
        break;
      case 'ignorePaths':
        config.ignorePaths = strings(value, 'ignorePaths');
        break;
      default:
        fail(keyNode, `unknown key "${key}" (rules, cni, dns, systemNamespaces, defaultNamespace, ignorePaths)`);
    }
  }
  return config;
}
