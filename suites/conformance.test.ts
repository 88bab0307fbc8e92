import { CONFORMANCE_REGIONS } from './all-checks.ts'
import { describeRegion } from './describe-region.ts'

// Every region that does not disturb the target for everyone, in one file: one
// scheduler (harness/check/check-scheduler.ts) sees all their checks and overlaps
// those that do not conflict. The faults run after, from suites/faults/.
for (const region of CONFORMANCE_REGIONS) describeRegion(region)
