import { Command, InvalidArgumentError, Option } from 'commander'
import type { Severity } from '../harness/model/check-result.ts'
import { SEVERITIES } from '../harness/model/check-result.ts'
import { ProfileError } from '../harness/profile/profile-error.ts'
import { VERSION } from '../harness/version.ts'
import { CASE_CHECKS } from '../harness/openapi/case-selection.ts'
import { checkUniverse } from './run/check-universe.ts'
import { discoverConfig } from './run/discover-config.ts'
import { loadProfileFile } from '../harness/profile/load-profile.ts'
import { benchCommand } from './bench/bench-command.ts'
import { EXIT } from './exit-codes.ts'
import { runCommand } from './run/run-command.ts'
import { ReportFileError, reportDiff, reportMerge } from './report-command.ts'
import { UsageError } from './usage-error.ts'
import { useColor } from './use-color.ts'
import { initCommand, type InitOptions } from './init/init-command.ts'
import { stackDown, stackUp } from './stack-command.ts'

const log = (line: string) => process.stdout.write(`${line}\n`)
const warn = (line: string) => process.stderr.write(`${line}\n`)
const out = (text: string) => process.stdout.write(text)
/** --no-color, NO_COLOR, FORCE_COLOR, then whether `stream` is a terminal. */
const colorFor = (flag: boolean, stream: NodeJS.WriteStream = process.stdout) => useColor({ flag, isTTY: stream.isTTY, env: process.env })

interface RunCliOptions {
  config?: string
  target?: string
  reportDir: string
  failOn: Severity
  color: boolean
  allowDisruptive?: boolean
  baseline?: string
  json?: boolean
  dryRun?: boolean
  shard?: string
  only?: string
  exclude?: string
  seed?: number
  case?: string[]
}

function positiveInt(value: string): number {
  const n = Number(value)
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('must be a whole number of at least 1')
  return n
}

function seedNumber(value: string): number {
  const n = Number(value)
  if (!Number.isInteger(n) || n < 0 || n > 4_294_967_295) throw new InvalidArgumentError('must be a whole number from 0 to 4294967295')
  return n
}

function percent(value: string): number {
  const n = Number(value)
  if (!Number.isFinite(n) || n < 0 || n > 1000) throw new InvalidArgumentError('must be a percentage, e.g. 20')
  return n
}

function shard(value: string): string {
  const match = /^(\d+)\/(\d+)$/.exec(value)
  if (match && Number(match[1]) >= 1 && Number(match[1]) <= Number(match[2])) return value
  throw new InvalidArgumentError('must be i/n with 1 ≤ i ≤ n, e.g. 1/2')
}

function url(value: string): string {
  try {
    const parsed = new URL(value)
    if (parsed.protocol === 'http:' || parsed.protocol === 'https:') return value
  } catch { /* fall through */ }
  throw new InvalidArgumentError('must be an absolute http:// or https:// URL')
}

/** Parses argv and calls the library; returns the exit code. */
export async function main(argv: string[]): Promise<number> {
  let exitCode: number = EXIT.conformant
  const program = new Command('layercheck')
    .description('Black-box conformance checks for HTTP stacks: is every answer the documented one, from the right layer?')
    .version(VERSION, '-V, --version', 'print the version and exit')
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) })
    .showHelpAfterError('(add --help for usage)')

  program.command('run')
    .description('run every suite against a target (no --config/--target: the embedded reference stack) and write the reports')
    .option('-c, --config <file>', 'target profile: layercheck.config.ts or .json')
    .option('-t, --target <url>', 'base URL of the target (overrides the profile\'s baseUrl)', url)
    .option('-o, --report-dir <dir>', 'where report.json, report.html, junit.xml and summary.md go', 'layercheck-report')
    .addOption(new Option('--fail-on <severity>', 'lowest severity whose failure fails the run (exit 1)').choices(SEVERITIES).default('warning'))
    .option('--allow-disruptive', 'allow fault injection against a target that is not on loopback')
    .option('--no-color', 'no colours, even on a terminal (also NO_COLOR=1 or FORCE_COLOR=0; FORCE_COLOR=1 colours without one)')
    .option('-b, --baseline <report.json>', 'compare with an earlier report.json: findings marked NEW, EXISTING or FIXED; only regressions fail the run')
    .option('--json', 'the JSON report on stdout; progress and the summary on stderr')
    .option('--dry-run', 'list the probes each check would send, and the profile keys it uses, without sending anything')
    .option('--shard <i/n>', 'run only shard i of n of the suite files (vitest --shard); merge the reports with `report merge`', shard)
    .option('--only <patterns>', "run only the checks matching any of these comma-separated patterns: an id or glob ('proxy.*'), step:N (step:6, step:1-3) or layer:NAME (layer:proxy)")
    .option('--exclude <patterns>', "leave out the checks matching any of these patterns (same forms as --only; applied after it), e.g. 'faults.*,layer:connection'")
    .option('--seed <n>', 'seed of the negative cases generated from the OpenAPI schemas (schemaCases.seed): the same seed sends the same cases', seedNumber)
    .option('--case <id>', "replay one generated case alone by its id, e.g. 'POST /items body.name maxLength+1' (repeatable; without --only, runs validation.schema.*)", (id: string, ids: string[] = []) => [...ids, id])
    .action(async (options: RunCliOptions) => {
      const human = options.json ? warn : log
      const stream = options.json ? process.stderr : process.stdout
      const only = options.only ?? (options.case?.length ? CASE_CHECKS : undefined)
      exitCode = await runCommand({ ...options, only, color: colorFor(options.color, stream) }, human, out)
    })

  program.command('init')
    .description("write a starter profile from the target's OpenAPI document (FastAPI: /openapi.json), or from what it answers when it has none; only GETs and OPTIONS are sent")
    .argument('<url>', 'base URL of the target', url)
    .option('-o, --out <file>', 'the profile to write: .json, or .ts for defineConfig with comments', 'layercheck.config.json')
    .option('--openapi <path|file>', 'the OpenAPI document: a path on the target, or a local JSON file (default: /openapi.json when the target serves one)')
    .option('--force', 'overwrite --out if it exists')
    .action(async (target: string, options: InitOptions) => {
      exitCode = await initCommand(target.replace(/\/+$/, ''), options, log)
    })

  const report = program.command('report').description('work with report.json files')
  report.command('merge')
    .description('merge the report.json of each shard (run --shard i/n) into one report, written in every format')
    .argument('<reports...>', 'report.json files of one target')
    .requiredOption('-o, --out <dir>', 'where the merged report.json, report.html, junit.xml and summary.md go')
    .addOption(new Option('--fail-on <severity>', 'lowest severity whose failure fails (exit 1)').choices(SEVERITIES).default('warning'))
    .option('--no-color', 'no colours, even on a terminal (also NO_COLOR=1 or FORCE_COLOR=0; FORCE_COLOR=1 colours without one)')
    .action(async (files: string[], options: { out: string; failOn: Severity; color: boolean }) => {
      exitCode = await reportMerge(files, { ...options, color: colorFor(options.color) }, log)
    })
  report.command('diff')
    .description('compare two reports: findings NEW, EXISTING or FIXED; exit 1 when a check that passed in <old> fails in <new>')
    .argument('<old>', 'the baseline report.json')
    .argument('<new>', 'the report.json to judge')
    .addOption(new Option('--fail-on <severity>', 'lowest severity whose regression fails (exit 1)').choices(SEVERITIES).default('info'))
    .option('--json', 'the new report with its baseline block, as JSON on stdout')
    .option('--no-color', 'no colours, even on a terminal (also NO_COLOR=1 or FORCE_COLOR=0; FORCE_COLOR=1 colours without one)')
    .action(async (oldFile: string, newFile: string, options: { failOn: Severity; json?: boolean; color: boolean }) => {
      exitCode = await reportDiff(oldFile, newFile, { ...options, color: colorFor(options.color) }, out)
    })

  program.command('bench')
    .description('keep-alive gains (client HTTP and TLS, proxy→app) and worker scaling, measured side by side; thresholds decide the exit code')
    .option('-c, --config <file>', "a deployment's profile (its bench section); without it, the embedded reference stacks")
    .option('-o, --report-dir <dir>', 'where report.json, report.html, junit.xml and summary.md go', 'layercheck-report/bench')
    .option('--connections <n>', 'concurrent connections (default: the profile\'s, 32)', positiveInt)
    .option('--duration <s>', 'seconds per run (default: the profile\'s, 3)', positiveInt)
    .option('--repeats <n>', 'interleaved runs per mode: median and [min–max] are reported (default: the profile\'s, 3)', positiveInt)
    .option('--threshold <measurement:expression...>', 'add a threshold, e.g. keepalive-http:p(99)<250 or workers-cpu/2:rps>500')
    .option('--no-pin', 'do not pin the server and the load generator to separate cores')
    .option('-b, --baseline <report.json>', 'an earlier bench report: only regressions fail (slower beyond the runs\' spread and the tolerance, or a threshold newly failing)')
    .option('--tolerance <percent>', 'with --baseline: how much slower is still noise', percent, 20)
    .option('--json', 'the JSON report on stdout; progress and the results on stderr')
    .action(async (options: { config?: string; reportDir: string; connections?: number; duration?: number; repeats?: number; threshold?: string[]; pin: boolean; baseline?: string; tolerance: number; json?: boolean }) => {
      exitCode = await benchCommand({
        config: options.config, reportDir: options.reportDir, connections: options.connections, durationS: options.duration,
        repeats: options.repeats, thresholds: options.threshold, pin: options.pin, baseline: options.baseline,
        tolerance: options.tolerance / 100, json: options.json,
      }, options.json ? warn : log, out)
    })

  const stack = program.command('stack').description('the embedded reference stack: nginx → toxiproxy → gunicorn/uvicorn → FastAPI')
  stack.command('up')
    .description('start it on free loopback ports and leave it running')
    .option('--variant <name>', 'compliant, or a broken variant (negative control)', 'compliant')
    .option('--workers <n>', 'gunicorn workers per app instance', positiveInt, 1)
    .action(async (options: { variant: string; workers: number }) => {
      exitCode = await stackUp(options, log)
    })
  stack.command('down').description('stop the stack `stack up` started').action(async () => {
    exitCode = await stackDown(log)
  })

  program.command('list').description("list every check with its lifecycle step, layer and spec (with a profile, its own checks too)")
    .option('-c, --config <file>', 'a profile whose own checks (checks.include) are listed with ours; default: layercheck.config.* in the working directory')
    .action(async (options: { config?: string }) => {
      const config = options.config ?? discoverConfig()?.file
      const universe = await checkUniverse(config ? await loadProfileFile(config) : undefined, config)
      const own = new Set(universe.user)
      for (const check of universe.checks) {
        log(`${String(check.step).padStart(2)}  ${check.id.padEnd(40)} ${check.layer.padEnd(11)} ${check.severity.padEnd(8)} ${check.spec}${own.has(check) ? '  (own check)' : ''}`)
      }
    })

  try {
    await program.parseAsync(argv)
    return exitCode
  } catch (error) {
    const code = (error as { code?: string }).code
    if (code === 'commander.helpDisplayed' || code === 'commander.version' || code === 'commander.help') return EXIT.conformant
    if (typeof code === 'string' && code.startsWith('commander.')) return EXIT.usage
    if (error instanceof ProfileError || error instanceof UsageError || error instanceof ReportFileError) {
      warn(error.message)
      return EXIT.usage
    }
    warn(`layercheck: ${(error as Error).message}`)
    return EXIT.harness
  }
}
