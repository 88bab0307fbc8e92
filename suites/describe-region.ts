import { describeChecks } from '../harness/check/describe-checks.ts'
import { checksOf, type Region } from './all-checks.ts'

/** Registers one region's checks, exactly as the registry lists them, as vitest tests. */
export const describeRegion = (region: Region): void => describeChecks(region, checksOf(region))
