import { spawn, type ChildProcess } from 'node:child_process'
import { join } from 'node:path'
import { PROJECT_ROOT } from '../../harness/paths.ts'

export interface CliResult {
  code: number | null
  signal: NodeJS.Signals | null
  stdout: string
  stderr: string
}

/** Runs `layercheck …` as a user would, bounded in time. */
export interface CliOptions {
  env?: NodeJS.ProcessEnv
  timeoutMs?: number
  onStdout?: (text: string, child: ChildProcess) => void
  onSpawn?: (child: ChildProcess) => void
  /** The Node that starts bin/layercheck.js (default: this one, the project's Node 24). */
  node?: string
  /** The started process leads a process group of its own, as a shell's job does, so the whole group can be signalled. */
  ownGroup?: boolean
  /** The working directory (default: the project's root); the launcher is still this project's. */
  cwd?: string
}

export function runCli(args: string[], options: CliOptions = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(options.node ?? process.execPath, [join(PROJECT_ROOT, 'bin/layercheck.js'), ...args], {
      cwd: options.cwd ?? PROJECT_ROOT, env: { ...process.env, FORCE_COLOR: '0', ...options.env }, stdio: ['ignore', 'pipe', 'pipe'],
      detached: options.ownGroup,
    })
    options.onSpawn?.(child)
    let stdout = ''
    let stderr = ''
    const timer = setTimeout(() => {
      try {
        if (options.ownGroup) process.kill(-child.pid!, 'SIGKILL')
        else child.kill('SIGKILL')
      } catch { /* gone already */ }
      reject(new Error(`layercheck ${args.join(' ')} did not finish within ${options.timeoutMs ?? 60_000} ms\n${stdout}\n${stderr}`))
    }, options.timeoutMs ?? 60_000)
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString()
      options.onStdout?.(stdout, child)
    })
    child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString() })
    child.on('close', (code, signal) => {
      clearTimeout(timer)
      resolve({ code, signal, stdout, stderr })
    })
  })
}
