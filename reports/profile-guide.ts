// The end of a bare run (`run --target <url>`, no profile): what a profile would
// unlock, as the not-applicable checks grouped by the one profile key each needs,
// and the `init` command that writes a starter profile. Pure: the report in, text out.
import picocolors from 'picocolors'
import type { CheckResult, RunReport } from '../harness/model/check-result.ts'
import { oneLine } from '../harness/model/sanitize.ts'
import { plural } from '../harness/model/report-view.ts'

export interface ProfileGuideOptions {
  color: boolean
  /** The command that writes a starter profile for this target. */
  initCommand: string
  /** How many check ids each group names before "+N more". */
  namesPerGroup?: number
}

export interface GuideGroup {
  /** The profile key (dotted) the group's checks need. */
  key: string
  checks: CheckResult[]
}

/** Not-applicable checks by the key they need, the largest group first (lifecycle order breaks ties). */
export function guideGroups(report: RunReport): GuideGroup[] {
  const groups = new Map<string, CheckResult[]>()
  for (const check of report.checks) {
    if (check.verdict !== 'not-applicable' || !check.needs) continue
    groups.set(check.needs, [...(groups.get(check.needs) ?? []), check])
  }
  return [...groups.entries()].map(([key, checks]) => ({ key, checks })).sort((a, b) => b.checks.length - a.checks.length)
}


export function renderProfileGuide(report: RunReport, options: ProfileGuideOptions): string {
  const c = picocolors.createColors(options.color)
  const groups = guideGroups(report)
  const names = options.namesPerGroup ?? 2
  const unlocked = groups.reduce((n, g) => n + g.checks.length, 0)
  const width = Math.max(0, ...groups.map((g) => g.key.length))
  const lines = [c.bold(`a profile would unlock ${plural(unlocked, 'more check')}; each key below enables the checks beside it:`)]
  for (const group of groups) {
    const shown = group.checks.slice(0, names).map((check) => oneLine(check.id))
    const more = group.checks.length > names ? `, +${group.checks.length - names} more` : ''
    lines.push(`  ${oneLine(group.key).padEnd(width)}  ${plural(group.checks.length, 'check').padStart(9)}  ${c.dim(shown.join(', ') + more)}`)
  }
  lines.push(`write a starter profile from what the target answers:  ${options.initCommand}`)
  return lines.join('\n') + '\n'
}
