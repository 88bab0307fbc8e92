import { Command, InvalidArgumentError, Option } from 'commander'
import type { Severity } from '../harness/model/check-result.ts'
import { SEVERITIES } from '../harness/model/check-result.ts'
import { ProfileError } from '../harness/profile/profile-error.ts'
import { ALL_CHECKS } from '../suites/all-checks.ts'
import { EXIT } from './exit-codes.ts'
import { runCommand } from './run/run-command.ts'
import { stackDown, stackUp } from './stack-command.ts'

const log = (line: string) => process.stdout.write(`${line}\n`)
const warn = (line: string) => process.stderr.write(`${line}\n`)

function positiveInt(value: string): number {
  const n = Number(value)
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('must be a whole number of at least 1')
  return n
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
    .option('--no-color', 'no colours, even on a terminal')
    .action(async (options: { config?: string; target?: string; reportDir: string; failOn: Severity; color: boolean; allowDisruptive?: boolean }) => {
      exitCode = await runCommand({ ...options, color: options.color && Boolean(process.stdout.isTTY) }, log)
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

  program.command('list').description('list every check with its lifecycle step, layer and spec').action(() => {
    for (const check of ALL_CHECKS) log(`${String(check.step).padStart(2)}  ${check.id.padEnd(40)} ${check.layer.padEnd(11)} ${check.severity.padEnd(8)} ${check.spec}`)
  })

  try {
    await program.parseAsync(argv)
    return exitCode
  } catch (error) {
    const code = (error as { code?: string }).code
    if (code === 'commander.helpDisplayed' || code === 'commander.version' || code === 'commander.help') return EXIT.conformant
    if (typeof code === 'string' && code.startsWith('commander.')) return EXIT.usage
    if (error instanceof ProfileError) {
      warn(error.message)
      return EXIT.usage
    }
    warn(`layercheck: ${(error as Error).message}`)
    return EXIT.harness
  }
}
