import { Command, CommanderError, Option } from 'commander';
import { readFileSync } from 'node:fs';
import type { CommandContext, GlobalOptions } from './context.js';
import { EXIT_USAGE, UserError } from './errors.js';

const collect = (value: string, previous: string[] = []) => [...previous, value];

function version(): string {
  try {
    return JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')).version;
  } catch {
    return 'unknown';
  }
}

/**
 * The command line. Commands load their modules only when they run, so `netpol --version` stays fast.
 * Returns the exit code instead of exiting, so that piped output is never cut short.
 */
export async function run(argv: string[], io: { stdout?: CommandContext['stdout']; stderr?: NodeJS.WritableStream } = {}): Promise<number> {
  let exitCode = 0;
  let globals: GlobalOptions = {};
  const program = new Command('netpol')
    .description('Lint Kubernetes NetworkPolicies and compute who can reach whom, before kubectl apply.')
    .version(version(), '-V, --version')
    .addOption(new Option('-o, --output <format>', 'output format (per command: text, table, json, csv, md, dot)'))
    .addOption(new Option('-n, --namespace <ns>', 'namespace for objects without one (first given; default "default"); also limits what is shown (repeatable)').argParser(collect))
    .option('--no-color', 'no colours (also NO_COLOR=1, or when output is not a terminal)')
    .option('-q, --quiet', 'print only errors on stderr')
    .option('--debug', 'print stack traces for internal errors')
    .option('--cluster', 'read a running cluster (read-only) instead of manifest files')
    .option('--kubeconfig <file>', 'kubeconfig for --cluster (default: KUBECONFIG, then ~/.kube/config, then in-cluster)')
    .option('--context <name>', 'kubeconfig context for --cluster (default: the current one)')
    .option('--request-timeout <duration>', 'time-out of each API request with --cluster, e.g. 30s (default), 2m')
    .option('--save <file>', 'with --cluster: also write what was read as one YAML List, for offline runs and bug reports')
    .showHelpAfterError('(run netpol --help for usage)')
    .exitOverride()
    .configureOutput({
      writeOut: (s) => (io.stdout ?? process.stdout).write(s),
      writeErr: (s) => (io.stderr ?? process.stderr).write(s),
    });

  // Loaded on first use so that --version and --help do not pay for the YAML and model modules.
  const context = async (cmd: Command) => {
    globals = cmd.optsWithGlobals() as GlobalOptions;
    const { CommandContext } = await import('./context.js');
    return CommandContext.create(globals, io.stdout, io.stderr);
  };
  const pathsHelp = 'manifest files or folders, or - for stdin (default: the current folder)';

  program
    .command('inspect')
    .description('show what was loaded: namespaces, endpoints, policies, what each policy selects and who isolates whom')
    .argument('[paths...]', pathsHelp)
    .option('--skip-invalid', 'leave invalid policies out instead of failing')
    .action(async (paths: string[], opts, cmd: Command) => {
      const { inspectCommand } = await import('./inspect.js');
      exitCode = await inspectCommand(await context(cmd), paths, opts);
    });

  program
    .command('matrix')
    .description('compute which endpoints can reach which, on which protocols and ports')
    .argument('[paths...]', pathsHelp)
    .option('--from <id>', 'only connections from this endpoint (ns/name, ns/name[Kind], or an external id)')
    .option('--to <id>', 'only connections to this endpoint')
    .option('--port <port[/proto]>', 'only connections that allow this port, e.g. 8080 or 53/UDP')
    .option('--external', 'include external address sets (default)')
    .option('--no-external', 'leave external address sets out')
    .option('--group', 'group endpoints that every policy treats alike and list connections between groups (lossless, compact at any scale)')
    .option('--ipblock-matches-pods', 'let ipBlock peers match pods with known IPs (Calico, upstream e2e) instead of external addresses only')
    .option('--skip-invalid', 'analyse the valid policies and say what was skipped, instead of failing')
    .action(async (paths: string[], opts, cmd: Command) => {
      const { matrixCommand } = await import('./matrix.js');
      exitCode = await matrixCommand(await context(cmd), paths, opts);
    });

  program
    .command('explain')
    .description('explain why one endpoint can or cannot reach another: every policy and rule on both sides')
    .argument('<src>', 'source: ns/name, ns/name[Kind], or an IP address')
    .argument('<dst>', 'destination: ns/name, ns/name[Kind], or an IP address')
    .argument('[paths...]', pathsHelp)
    .option('--port <port[/proto]>', 'explain one port, e.g. 8080 or 53/UDP (default: every allowed port set)')
    .option('--protocol <proto>', 'protocol for --port: TCP (default), UDP or SCTP')
    .option('--ipblock-matches-pods', 'let ipBlock peers match pods with known IPs')
    .option('--skip-invalid', 'analyse the valid policies and say what was skipped, instead of failing')
    .action(async (src: string, dst: string, paths: string[], opts, cmd: Command) => {
      const { explainCommand } = await import('./explain.js');
      exitCode = await explainCommand(await context(cmd), src, dst, paths, opts);
    });

  program
    .command('lint')
    .description('find the NetworkPolicy mistakes that cause outages and holes; exit 1 on findings at or above --fail-on')
    .argument('[paths...]', pathsHelp)
    .option('--fail-on <severity>', 'lowest severity that fails the run: error (default), warning, info or none')
    .option('--max-warnings <n>', 'also fail when there are more warnings than this')
    .option('--output-file <file>', 'write the report to a file instead of stdout')
    .option('--config <file>', `configuration file (default: .netpol.yaml in this folder or a parent)`)
    .option('--cni <plugin>', 'network plugin, for the CNI rules: calico, cilium, antrea, weave, flannel, aws-vpc, kube-router, ...')
    .option('--baseline <file>', 'report only findings not in this baseline file')
    .option('--update-baseline', 'write the current findings to the --baseline file and exit 0')
    .option('--sarif-include-suppressed', 'keep suppressed findings in SARIF, marked as suppressions')
    .option('--sarif-category <id>', 'SARIF automationDetails category, to keep several runs apart in code scanning')
    .action(async (paths: string[], opts, cmd: Command) => {
      const { lintCommand } = await import('./lint.js');
      exitCode = await lintCommand(await context(cmd), paths, opts, version());
    });

  program
    .command('rules')
    .description('list the lint rules, or show the help of one (-o md prints docs/rules.md)')
    .argument('[id]', 'rule id')
    .action(async (id: string | undefined, _opts, cmd: Command) => {
      const { RULES, ruleById } = await import('../rules/registry.js');
      const { rulesList, ruleHelp, rulesMarkdown } = await import('../report/rules-doc.js');
      const out = io.stdout ?? process.stdout;
      const format = (cmd.optsWithGlobals() as GlobalOptions).output;
      if (id) {
        const rule = ruleById(id);
        if (!rule) throw new UserError(`unknown rule "${id}" (netpol rules lists them)`);
        out.write(ruleHelp(rule));
      } else out.write(format === 'md' ? rulesMarkdown(RULES) : format === 'json' ? `${JSON.stringify(RULES.map(({ check: _c, ...meta }) => meta), null, 2)}\n` : rulesList(RULES));
    });

  try {
    await program.parseAsync(argv, { from: 'user' });
    return exitCode;
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? 0 : EXIT_USAGE; // commander printed it
    const stderr = io.stderr ?? process.stderr;
    if (err instanceof UserError) {
      stderr.write(`netpol: ${err.message}\n`);
      return err.exitCode;
    }
    if (globals.debug) stderr.write(`${(err as Error).stack ?? String(err)}\n`);
    else stderr.write(`netpol: internal error: ${(err as Error).message ?? String(err)} (run with --debug for details)\n`);
    return EXIT_USAGE;
  }
}
