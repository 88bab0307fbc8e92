/** Bad usage that commander cannot see (option combinations, files named by options): exit 2. */
export class UsageError extends Error {
  readonly code = 'LAYERCHECK_USAGE'
}
