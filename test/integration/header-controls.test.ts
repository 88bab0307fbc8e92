import { HEADER_VARIANTS } from '../../targets/nginx-fastapi/variants.ts'
import { describeVariantControls } from '../support/variant-controls.ts'

// Middleware (CORS, trusted hosts) and response-header checks, failing on the
// variant that undoes what each one guards.
describeVariantControls(HEADER_VARIANTS)
