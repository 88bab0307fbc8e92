// Whether the CLI paints its output: the flag, then the two conventions, then the terminal.
// NO_COLOR (https://no-color.org): any non-empty value turns colour off.
// FORCE_COLOR (https://force-color.org, Node's reading of it): 0 or false turns colour off;
// 1, 2, 3, true or an empty value turns it on even without a terminal (CI logs that render ANSI).

export interface ColorInputs {
  /** false when --no-color was given: the command line wins over the environment. */
  flag: boolean
  /** Whether the stream the output goes to is a terminal. */
  isTTY: boolean | undefined
  env: NodeJS.ProcessEnv
}

export function useColor({ flag, isTTY, env }: ColorInputs): boolean {
  if (!flag) return false
  // NO_COLOR wins over FORCE_COLOR, as picocolors reads them: a user's "never" outranks a tool's "always".
  if (env.NO_COLOR) return false
  const force = env.FORCE_COLOR
  if (force !== undefined) return !['0', 'false'].includes(force.trim().toLowerCase())
  return Boolean(isTTY)
}
