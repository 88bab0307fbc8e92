import { describeRegion } from '../describe-region.ts'

// The region's checks and what they cover are listed once, in suites/all-checks.ts.
describeRegion('validation')
