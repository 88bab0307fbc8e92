import { FAULT_VARIANTS } from '../../targets/nginx-fastapi/variants.ts'
import { describeVariantControls } from '../support/variant-controls.ts'

// The fault checks, failing on the variant that breaks what each one guards.
describeVariantControls(FAULT_VARIANTS)
