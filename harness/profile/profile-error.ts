/** A profile that cannot be used: one line per problem, each naming the key. Exit code 2. */
export class ProfileError extends Error {
  readonly code = 'LAYERCHECK_BAD_PROFILE'
  readonly source: string
  readonly problems: string[]
  constructor(source: string, problems: string[]) {
    super(`${source}: ${problems.length === 1 ? 'a problem' : `${problems.length} problems`} in the profile\n${problems.map((p) => `  - ${p}`).join('\n')}`)
    this.source = source
    this.problems = problems
  }
}
